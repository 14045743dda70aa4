#!/usr/bin/env bash
# System packages the test suite drives or builds with, installed before `npm test` (its `pretest`) on a Debian-like
# machine when running as root; elsewhere it lists what is missing, and the tests that need it skip with the reason
# (under CI=true they fail instead). `.ci/run` relies on this too: the README's test command installs everything.
set -euo pipefail

need=()
command -v ip >/dev/null || need+=(iproute2)
command -v genl >/dev/null || need+=(iproute2)
command -v ethtool >/dev/null || need+=(ethtool)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
[ -e /usr/include/linux/rtnetlink.h ] || need+=(linux-libc-dev)
command -v setpriv >/dev/null || need+=(util-linux)
# Oracles of the netfilter tests: conntrack -L/-C, and nft -j list ruleset (transactions).
command -v conntrack >/dev/null || need+=(conntrack)
command -v nft >/dev/null || need+=(nftables)
# The VM suite (test/vm): QEMU, a static busybox and cpio for the initramfs, kmod for depmod/modprobe, and the
# headers of Debian's stock kernel to build the example module (the harness fetches the matching image itself).
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v depmod >/dev/null || need+=(kmod)
command -v make >/dev/null || need+=(make)
dpkg -s linux-headers-amd64 >/dev/null 2>&1 || need+=(linux-headers-amd64)

[ ${#need[@]} -eq 0 ] && exit 0
# Unique names, in order.
mapfile -t need < <(printf '%s\n' "${need[@]}" | awk '!seen[$0]++')
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "nlgen tests: not installing system packages (needs root and apt-get); missing: ${need[*]}" >&2
  echo "nlgen tests: the tests that need them will skip (and fail under CI=true)" >&2
  exit 0
fi
echo "nlgen tests: installing system packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
