#!/usr/bin/env bash
# The embedded PTX assembles for real GPUs (what the driver's JIT does at
# cuModuleLoadData), as nvcc wrote it and with the header lowered to ISA 7.0
# the way cuda_kernels.cpp retries for drivers older than the toolkit.
#   ptx_assembles.sh <ptxas> <ptx dir>
set -euo pipefail
ptxas=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count=0
for ptx in "$dir"/*.ptx; do
  sed 's/^\.version [0-9.]*/.version 7.0/' "$ptx" > "$tmp/lowered.ptx"
  for arch in sm_75 sm_80 sm_86 sm_90; do
    "$ptxas" -arch=$arch "$ptx" -o "$tmp/out.cubin"
    "$ptxas" -arch=$arch "$tmp/lowered.ptx" -o "$tmp/out.cubin"
  done
  count=$((count + 1))
done
[ "$count" -eq 5 ] || { echo "expected 5 PTX files in $dir, found $count" >&2; exit 1; }
echo "$count PTX modules assemble for sm_75..sm_90, as built and lowered to ISA 7.0"
