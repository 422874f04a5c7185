#!/usr/bin/env bash
# One command on a machine with an NVIDIA GPU and no network: gpuhost's kernels
# at large sizes, CUDA (own kernels and cuBLAS) and vendor-neutral (Vulkan,
# OpenCL: the cuda plugin off), PyTorch's equivalents on the same GPU when
# torch imports, then every ratio against the targets of issue 14.
#   gpu-check.sh DIR_WITH_BUNDLES [RESULTS_DIR] [SIZE]
# DIR_WITH_BUNDLES holds what make-bundle.sh wrote and this folder's scripts
# (peer.py, compare.py, repack.py). SIZE: floats per vector (default 2^28, 1 GiB).
# Optional: DIR_WITH_BUNDLES/gl/*.deb (libvulkan1, libglvnd0, libglx0, libegl1 ...)
# are unpacked first, which lets NVIDIA's Vulkan driver load where only its libraries are.
# GPU_CHECK_FULL=1 also runs detection timings, the plan, a snapshot and
# `gpuhost run vector_search` from a rebuilt wheelhouse (as ../shared/gpu-check did).
set -u
src=$(realpath "$1"); res=$(realpath -m "${2:-/tmp/gpu-check-results}"); N=${3:-268435456}; mkdir -p "$res"
exec > >(tee -a "$res/log.txt") 2>&1
T0=$(date +%s); step() { echo; echo "=== [$(( $(date +%s) - T0 ))s] $*"; }
ms() { local s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N)-s)/1000000 )); }
mkdir -p /tmp/gh /tmp/ght; tar -C /tmp/gh -xJf "$src/gpuhost-bundle.tar.xz"; tar -C /tmp/ght -xJf "$src/tools.tar.xz"
for f in "$src"/gl/*.deb; do [ -f "$f" ] && dpkg -x "$f" /; done; ldconfig
export LD_LIBRARY_PATH=/tmp/gh/deps:/tmp/ght/lib HOME=/tmp/gpu-check-home; mkdir -p "$HOME"
G=/tmp/gh/bin/gpuhost
oc=$(ldconfig -p | grep -o "/[^ ]*libnvidia-opencl.so.1" | head -1)   # NVIDIA's OpenCL driver, if its ICD file is missing
[ -n "$oc" ] && [ ! -e /etc/OpenCL/vendors/nvidia.icd ] && mkdir -p /etc/OpenCL/vendors && echo "$oc" > /etc/OpenCL/vendors/nvidia.icd
step machine; uname -r; nproc; nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv
step detect; $G plugins; timeout 60 $G detect --no-cache --timings; $G detect --json > "$res/detect.json"

step "cuBLAS: where gpuhost finds it"
# gpuhost searches the active Python environment, the loader's path, the driver's folder and the
# toolkit; when PyTorch's interpreter keeps cuBLAS elsewhere, point gpuhost at that file.
timeout 120 $G bench --device cuda:0 --kernel sgemm --size 16777216 | tee "$res/sgemm_probe.txt"
if ! grep -q cuBLAS "$res/sgemm_probe.txt"; then
  lib=$(python3 - <<'PY' 2>/dev/null
import glob, os, site, sys
dirs = list(sys.path) + site.getsitepackages() + [site.getusersitepackages()]
for d in dirs:
    for pat in ("nvidia/cublas/lib/libcublas.so.*", "nvidia/cu*/lib/libcublas.so.*"):
        hits = sorted(glob.glob(os.path.join(d, pat)))
        if hits: print(hits[-1]); raise SystemExit
PY
)
  [ -n "$lib" ] && export GPUHOST_CUBLAS_LIBRARY="$lib" && echo "GPUHOST_CUBLAS_LIBRARY=$lib (PyTorch's)"
fi

step "CUDA kernels, size $N"
timeout 300 $G bench --device cuda:0 --size "$N" --json > "$res/bench_cuda.json"; timeout 300 $G bench --device cuda:0 --size "$N"
[ -x /tmp/gh/cuda_smoke ] && timeout 120 /tmp/gh/cuda_smoke --plugin /tmp/gh/lib/gpuhost/plugins/libgpuhost-cuda.so --size "$N"
step "vendor-neutral kernels on the GPU (cuda plugin off), size $N"
GPUHOST_DISABLE_PLUGINS=cuda timeout 300 $G bench --size "$N" --json > "$res/bench_neutral.json"
GPUHOST_DISABLE_PLUGINS=cuda timeout 300 $G bench --size "$N"
step "PyTorch on the same GPU, same sizes"
if python3 -c "import torch; assert torch.cuda.is_available()" 2>/dev/null; then
  timeout 180 python3 "$src/peer.py" "$N" > "$res/peer.json"; cat "$res/peer.json"
else
  echo "PyTorch with CUDA is not importable here: no peer figures"; echo '{}' > "$res/peer.json"
fi
step "ratios"
python3 "$src/compare.py" "$res/bench_cuda.json" "$res/bench_neutral.json" "$res/peer.json" | tee "$res/ratios.txt"

if [ "${GPU_CHECK_FULL:-0}" = 1 ]; then
  step "cold detection, 9 rounds: nvidia-smi -L | vulkaninfo --summary | clinfo -l | gpuhost cold | gpuhost warm"
  for i in 1 2 3 4 5 6 7 8 9; do
    echo "$(ms nvidia-smi -L) $(ms timeout 20 /tmp/ght/bin/vulkaninfo --summary) $(ms timeout 20 /tmp/ght/bin/clinfo -l) $(ms $G detect --no-cache) $(ms $G detect)"; done
  step plan; $G select; $G plan vector_search; $G recommend
  step snapshot; timeout 60 $G snapshot /tmp/gpu-snapshot && tar -C /tmp -czf "$res/snapshot.tgz" gpu-snapshot
  step "run vector_search from a local wheelhouse"; timeout 120 python3 "$src/repack.py" /tmp/wh numpy 'cupy-cuda13x[ctk]' cuda-pathfinder ||
    echo "repack: the wheelhouse lacks some of what the plan's cupy-cuda13x[ctk] needs (listed above)"
  timeout 300 $G run vector_search --wheelhouse /tmp/wh; echo "rc=$?"
fi
step done; ls -la "$res"
