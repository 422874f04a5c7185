#!/usr/bin/env bash
# Installs the Debian packages gpuhost builds and tests with. Idempotent: a package
# that is already installed is left alone, and apt is not touched at all when
# nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-all-dev          # DLL, Process, Asio, Test, Program_options
  libboost-json1.81-dev         # not part of -all-dev in Debian 12
  liblua5.4-dev                 # the policy engine
  libre2-dev                    # linear-time matching of logs against the recovery rules
  libvulkan-dev vulkan-tools glslang-tools   # Vulkan-Hpp, vulkaninfo, GLSL -> SPIR-V
  opencl-clhpp-headers opencl-c-headers ocl-icd-opencl-dev clinfo
  mesa-vulkan-drivers           # llvmpipe: a real, software Vulkan device
  pocl-opencl-icd               # PoCL: a real, software OpenCL device
  libopenblas-dev               # sgemm on the CPU
  libclblast-dev                # CLBlast: OpenCL sgemm (dlopen'd libclblast.so.1, optional)
  libze-dev                     # Level Zero headers (the loader is dlopen'd)
  python3 python3-venv
  fish tcsh                     # tests source the environment's activate.fish / activate.csh with the real shells
  time bc                       # bench/detect_bench.sh: peak RSS, arithmetic
  prometheus                    # promtool: tests check `gpuhost export prometheus` with it
  slurmd                        # slurmd -G: tests parse `gpuhost export slurm` with Slurm's own code
  dpkg-dev groff-base           # cpack -G DEB: dpkg-shlibdeps; man page check
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
