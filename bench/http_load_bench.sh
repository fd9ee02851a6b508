#!/usr/bin/env bash
# The server under load (docs/benchmarks.md, "HTTP under load (64 keep-alive
# connections)"): a real `salespider serve` (demo store, HTTPS with its own CA
# as in production, LOG_LEVEL info) and wrk (Debian) holding 64 keep-alive
# connections for 20 s on
#   - GET /api/v1/health, and
#   - an empty pull: GET /api/v1/sync/pull with an enrolled till's credential
#     (Bearer spt_...) and a cursor at the head of the feed: every connection
#     as the same till ("pull"), and each request as the next of 64 tills
#     ("pull_tills"; a pull records the till's contact, one row per till),
# alternately, 3 runs each; requests/s, latency p50/p99 (wrk --latency),
# errors, and the server process's RSS before, during (highest sample) and
# after each run, with VmHWM at the end.
# The gate allows 32 connections per client address (docs/security.md), so
# each figure is taken twice: 64 connections from one address (127.0.0.1;
# the gate evicts to make room and wrk reconnects), and 64 from two addresses
# (32 from 127.0.0.1 and 32 from this machine's LAN address, two wrk at once).
# The server speaks HTTP/1.1 only (cpp-httplib; ALPN offers no h2), hence wrk.
# wrk and the server share the machine's cores. PostgreSQL's own processes
# are not in the RSS. Env: HTTP_LOAD_RUNS (3), HTTP_LOAD_SECONDS (20),
# HTTP_LOAD_CONNECTIONS (64). Writes build/bench/results/http_load.json.
# Never fails on speed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
skip() { echo "http load bench: SKIPPED: $*"; exit 0; }
command -v wrk >/dev/null || skip "wrk is missing (make deps installs it)"
command -v jq >/dev/null || skip "jq is missing"
command -v curl >/dev/null || skip "curl is missing"
bin=build/bench/server/salespider
[ -x "$bin" ] || bin=build/native/server/salespider
[ -x "$bin" ] || skip "no salespider binary (cmake --build --preset bench --target salespider)"

runs=${HTTP_LOAD_RUNS:-3}
seconds=${HTTP_LOAD_SECONDS:-20}
conns=${HTTP_LOAD_CONNECTIONS:-64}
password='Owner-pass-1234'
out=build/bench/results
mkdir -p "$out"

data=$(mktemp -d /tmp/salespider-load-XXXXXX)
chmod 755 "$data"  # the embedded PostgreSQL runs as `postgres`
server_pid=
sampler_pid=
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap cleanup EXIT

# --- the server ----------------------------------------------------------------
"$bin" cert init --data-path "$data" --domain localhost >/dev/null
# All interfaces, so the second address (the LAN one) reaches it too.
SUPER_ADMIN_PASSWORD=$password SALESPIDER_DEMO=1 DOMAIN=localhost LOG_LEVEL=info \
  "$bin" serve --host 0.0.0.0 --port 0 --https-port 0 --data-path "$data" >>"$data/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
  grep -q '"msg":"listening"' "$data/server.log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log" >&2; echo "http load bench: the server exited" >&2; exit 1; }
  sleep 0.2
done
https_port=$(grep -m1 '"msg":"listening"' "$data/server.log" | jq -r .https_port)
base=https://127.0.0.1:$https_port
lan_ip=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -1 || true)

api() {  # method path [body] [extra curl args...]
  local method=$1 path=$2 body=${3:-}
  shift 3 || shift $#
  curl -sSfk -X "$method" -H 'Content-Type: application/json' ${body:+-d "$body"} "$@" "$base$path"
}
token=$(api POST /api/v1/auth/login "{\"login\":\"admin\",\"password\":\"$password\"}" | jq -r .token)
# One till whose credential every connection uses (its status row is shared),
# and one till per connection (as 64 tills would be), credentials in a file
# that tills.lua hands out round robin.
credential=$(api POST /api/v1/tills '{"name":"Load"}' -H "Authorization: Bearer $token" | jq -r .credential)
for i in $(seq "$conns"); do
  api POST /api/v1/tills "{\"name\":\"Load $i\"}" -H "Authorization: Bearer $token" | jq -r .credential
done >"$data/credentials"
cat >"$data/tills.lua" <<'LUA'
-- Each request carries the credential of the next till, round robin; each
-- wrk thread (and each wrk process, TILL_OFFSET) starts at its own till.
local creds = {}
for line in io.lines(os.getenv("TILL_CREDENTIALS")) do creds[#creds + 1] = line end
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
local n = 0
function request()
  n = n + 1
  local i = ((id or 0) * 32 + tonumber(os.getenv("TILL_OFFSET") or "0") + n) % #creds + 1
  return wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. creds[i] })
end
LUA
export TILL_CREDENTIALS=$data/credentials

# The till pulls to the head of the feed; the empty pull asks from there.
# Right after the start the server may still add rows (the demo store, the
# audit seal), so it pulls until a page at its cursor is empty.
cursor=
for _ in $(seq 60); do
  page=$(api GET "/api/v1/sync/pull?protocol_version=1&limit=1000&cursor=$(jq -rn --arg c "$cursor" '$c|@uri')" '' \
    -H "Authorization: Bearer $credential")
  cursor=$(jq -r .next_cursor <<<"$page")
  [ "$(jq -r '.changes | length' <<<"$page")" = 0 ] && [ "$(jq -r .remaining <<<"$page")" = 0 ] && break
  [ "$(jq -r .remaining <<<"$page")" = 0 ] && sleep 1
done
pull_path="/api/v1/sync/pull?protocol_version=1&cursor=$(jq -rn --arg c "$cursor" '$c|@uri')"
pull_changes() { api GET "$pull_path" '' -H "Authorization: Bearer $credential" | jq '.changes | length'; }
[ "$(pull_changes)" = 0 ] || { echo "http load bench: the feed does not settle: no empty pull" >&2; exit 1; }
# The cursor is the feed's, not the till's: the last enrolled till's pull from it is empty too.
last=$(tail -1 "$data/credentials")
[ "$(api GET "$pull_path" '' -H "Authorization: Bearer $last" | jq '.changes | length')" = 0 ] ||
  { echo "http load bench: another till's pull at the head is not empty" >&2; exit 1; }

# --- measuring -------------------------------------------------------------------
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server_pid/status"; }
ms() {  # wrk's "1.23ms" / "456.00us" / "1.02s" -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/) n *= 1000; else if (v ~ /m$/) n *= 60000; printf "%.3f", n }'
}
# One wrk's report as JSON: requests/s, p50, p99, requests, errors.
wrk_json() {
  local f=$1 rps p50 p99 reqs non2xx sock
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
  p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$f")")
  p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$f")")
  reqs=$(awk '/requests in/ { print $1 }' "$f")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$f")
  sock=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$f")
  read -r c r w t <<<"${sock:-0 0 0 0}"
  jq -n --argjson rps "${rps:-0}" --argjson p50 "${p50:-0}" --argjson p99 "${p99:-0}" --argjson reqs "${reqs:-0}" \
    --argjson non2xx "${non2xx:-0}" --argjson c "$c" --argjson r "$r" --argjson w "$w" --argjson t "$t" \
    '{requests_per_s: $rps, p50_ms: $p50, p99_ms: $p99, requests: $reqs, non_2xx: $non2xx,
      socket_errors: {connect: $c, read: $r, write: $w, timeout: $t}}'
}

# run <what> <path> <addresses: 1|2> -> one JSON object
run() {
  local what=$1 path=$2 addrs=$3 rss_before rss_during rss_after log_from
  local header=()
  [ "$what" = pull ] && header=(-H "Authorization: Bearer $credential")
  [ "$what" = pull_tills ] && header=(-s "$data/tills.lua")
  rss_before=$(status_kb VmRSS)
  log_from=$(wc -l <"$data/server.log")
  (while :; do status_kb VmRSS; sleep 0.5; done >"$data/rss") &
  sampler_pid=$!
  if [ "$addrs" = 1 ]; then
    wrk -t2 -c"$conns" -d"${seconds}s" --latency "${header[@]}" "$base$path" >"$data/wrk1" 2>&1
  else
    wrk -t1 -c$((conns / 2)) -d"${seconds}s" --latency "${header[@]}" "$base$path" >"$data/wrk1" 2>&1 &
    local first=$!
    TILL_OFFSET=$((conns / 2)) wrk -t1 -c$((conns - conns / 2)) -d"${seconds}s" --latency "${header[@]}" \
      "https://$lan_ip:$https_port$path" >"$data/wrk2" 2>&1
    wait "$first"
  fi
  kill "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=
  rss_during=$(sort -n "$data/rss" | tail -1)
  sleep 1
  rss_after=$(status_kb VmRSS)
  # The gate's "connection pressure" warnings during the run (evictions).
  local evicted
  evicted=$(tail -n +"$((log_from + 1))" "$data/server.log" | { grep '"connection pressure' || true; } |
    jq -s 'map(.evicted // 0) | add // 0')
  local parts
  parts=$(for f in "$data"/wrk1 "$data"/wrk2; do [ -f "$f" ] && wrk_json "$f"; done | jq -s .)
  rm -f "$data/wrk1" "$data/wrk2"
  # Keep the log from growing over the whole bench (about 200 bytes a request).
  : >"$data/server.log"
  jq -n --arg what "$what" --argjson addrs "$addrs" --argjson parts "$parts" --argjson before "$rss_before" \
    --argjson during "$rss_during" --argjson after "$rss_after" --argjson evicted "$evicted" \
    --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
    '{what: $what, addresses: $addrs, connections: '"$conns"',
      requests_per_s: ($parts | map(.requests_per_s) | add),
      p50_ms: ($parts | map(.p50_ms) | max), p99_ms: ($parts | map(.p99_ms) | max),
      errors: ($parts | map(.non_2xx + .socket_errors.connect + .socket_errors.read + .socket_errors.write + .socket_errors.timeout) | add),
      evicted_logged: $evicted, rss_kb: {before: $before, during_max: $during, after: $after},
      load_avg_1m: ($load | tonumber), wrk: $parts}'
}

echo "http load bench: $bin, $conns connections, ${seconds} s, $runs runs; server pid $server_pid, RSS $(status_kb VmRSS) kB idle"
shapes=("1")
if [ -n "$lan_ip" ]; then shapes+=("2"); else echo "http load bench: no LAN address: one address only"; fi
results=()
for i in $(seq "$runs"); do
  for addrs in "${shapes[@]}"; do
    for what in health pull pull_tills; do
      path=/api/v1/health
      [ "$what" != health ] && path=$pull_path
      r=$(run "$what" "$path" "$addrs")
      results+=("$(jq -c --argjson run "$i" '. + {run: $run}' <<<"$r")")
      jq -r '"run \(.run) \(.what) from \(.addresses) address(es): \(.requests_per_s | floor) req/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, errors \(.errors), evicted (logged) \(.evicted_logged), RSS kB \(.rss_kb.before)/\(.rss_kb.during_max)/\(.rss_kb.after), load \(.load_avg_1m)"' <<<"${results[-1]}"
    done
  done
done
hwm=$(status_kb VmHWM)
# The pulls measured were empty ones: the feed did not move under them.
after=$(pull_changes)
[ "$after" = 0 ] || echo "http load bench: the pull at the measured cursor now has $after changes: the feed moved" >&2
printf '%s\n' "${results[@]}" | jq -s --argjson hwm "$hwm" --arg date "$(date -u +%FT%TZ)" --arg bin "$bin" \
  --argjson cpus "$(nproc)" --arg wrk "$(wrk --version 2>&1 | head -1 | cut -d' ' -f2)" \
  --argjson after "$after" \
  '{date: $date, binary: $bin, cpus: $cpus, wrk: $wrk, vm_hwm_kb: $hwm, pull_changes_after: $after,
    summary: (group_by(.what + "/" + (.addresses | tostring)) | map({key: (.[0].what + " from " + (.[0].addresses | tostring) + " address(es)"),
      value: {requests_per_s: (map(.requests_per_s) | sort | {median: .[length / 2 | floor], min: .[0], max: .[-1]}),
              p99_ms: (map(.p99_ms) | sort | {median: .[length / 2 | floor], min: .[0], max: .[-1]}),
              p50_ms: (map(.p50_ms) | sort | .[length / 2 | floor]),
              errors: (map(.errors) | add), evicted_logged: (map(.evicted_logged) | add),
              rss_during_max_kb: (map(.rss_kb.during_max) | max)}}) | from_entries),
    runs: .}' >"$out/http_load.json"
jq .summary "$out/http_load.json"
echo "server VmHWM $hwm kB; results in $out/http_load.json"
