#!/usr/bin/env bash
# Proves the README's promise on a truly fresh Debian 12: debootstraps a
# minimal bookworm into a folder, clones this repository into it, adds only
# make, git and ca-certificates, and runs `make test` (or the target given).
# A developer's check, not part of CI (it needs root and ~10 GB).
#
#   deploy/check-fresh-debian.sh [DIR] [make-target]     (default /tmp/fresh, test)
#
# Safety: every mount under DIR is unmounted (deepest first) and checked gone
# before anything is deleted, since deleting through a live bind mount would
# delete the host's files.
set -euo pipefail

dir=${1:-/tmp/fresh}
target=${2:-test}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }

unmount_all() {
  local m
  for m in $(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  if awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {found=1} END {exit !found}' /proc/mounts; then
    echo "still mounted under $dir; not deleting" >&2
    return 1
  fi
}
trap unmount_all EXIT

if [ -d "$dir" ]; then
  unmount_all
  rm -rf --one-file-system "$dir"
fi

command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | awk '$2=="bookworm"{print $1; exit}')
debootstrap --variant=minbase bookworm "$dir" "$mirror" >/dev/null

cp /etc/resolv.conf "$dir/etc/resolv.conf"
# The registries are reached through a TLS proxy whose CA this machine trusts.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$dir/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$dir/usr/local/share/ca-certificates/"
fi

mount -t proc proc "$dir/proc"
mount --bind -o ro /sys "$dir/sys"
mount -t tmpfs -o mode=755 tmpfs "$dir/dev"
for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
  IFS=: read -r name major minor <<<"$d"
  mknod -m 666 "$dir/dev/$name" c "$major" "$minor"
done
ln -s /proc/self/fd "$dir/dev/fd"
ln -s /proc/self/fd/0 "$dir/dev/stdin"
ln -s /proc/self/fd/1 "$dir/dev/stdout"
ln -s /proc/self/fd/2 "$dir/dev/stderr"
mkdir -p "$dir/dev/pts" "$dir/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$dir/dev/pts"
ln -s pts/ptmx "$dir/dev/ptmx"
mount -t tmpfs -o mode=1777 tmpfs "$dir/dev/shm"

git clone -q "$repo" "$dir/src"

start=$(date +%s)
rc=0
chroot "$dir" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  CI=true NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt LANG=C.UTF-8 \
  bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make git ca-certificates >/dev/null && update-ca-certificates >/dev/null && cd /src && make $target" || rc=$?
echo "fresh Debian 12: make $target exited $rc after $(( $(date +%s) - start )) s"
exit $rc
