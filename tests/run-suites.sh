#!/usr/bin/env bash
# Runs the CTest presets named on the command line (native, wasm, fuzz), all of
# them even if one fails, and ends with one line counting every test:
#   make test: N passed, M failed
# Exits non-zero if any test failed or any suite could not run.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

passed=0
failed=0
status=0
for preset in "$@"; do
  echo "=== ctest --preset $preset"
  out=$(mktemp)
  ctest --preset "$preset" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -1)
  if [ -z "$line" ]; then
    echo "suite $preset did not run (ctest exit $rc)"
    status=1
  else
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    bad=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
    passed=$((passed + total - bad))
    failed=$((failed + bad))
  fi
  [ "$rc" -eq 0 ] || status=1
  rm -f "$out"
done
echo "make test: $passed passed, $failed failed"
exit $status
