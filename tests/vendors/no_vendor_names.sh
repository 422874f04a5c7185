#!/usr/bin/env bash
# The generic chooser names no vendor, and the host keeps no list of backend
# names: both belong to the vendor folders (sdk/docs/VENDORS.md).
set -euo pipefail
src=$1
names='cuda|rocm|xpu|mps|nvidia|amd|intel|apple|metal|hip|directml|npu|ascend'
if grep -n -i -w -E "$names" "$src/scripts/lib/choose.lua" "$src/scripts/lib/tables.lua"; then
  echo "FAIL: the generic chooser names a vendor (above)"; exit 1
fi
# A list of two or more backend names in the host's sources ({"cuda", "rocm", ...}).
if grep -rn -E '"(cuda|rocm|xpu|mps|vulkan|opencl|cpu)"\s*,\s*"(cuda|rocm|xpu|mps|vulkan|opencl|cpu)"' "$src/host"; then
  echo "FAIL: the host lists backend names (above)"; exit 1
fi
echo "no vendor names in scripts/lib/choose.lua or tables.lua; no backend list in host/"
