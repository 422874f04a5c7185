#!/usr/bin/env bash
# Installs the SDK from the build tree, builds the example plugin out of tree
# with find_package(gpuhost-sdk), drops it into a plugin folder and checks
# that gpuhost lists it and runs its detect.
#
# A plugin author needs cmake, a C++ compiler, a build tool and the Boost
# headers. A machine without them (a GPU server given this build tree) cannot
# build a plugin at all: the test is skipped there (exit 77, which ctest counts
# as skipped), saying what is missing.
set -euo pipefail
build_dir=$1 example_src=$2 gpuhost=$3
configured_cmake=${4:-} configured_cxx=${5:-} configured_make=${6:-}

skip() { echo "SKIPPED sdk_out_of_tree: $*"; exit 77; }
# The tool the build was configured with, else one on PATH, else "".
tool() { if [[ -n $1 && -x $1 ]]; then echo "$1"; else command -v "$2" || true; fi; }

cmake=$(tool "$configured_cmake" cmake)
[[ -n $cmake ]] || skip "cmake is not installed here (needed to install the SDK and build a plugin)"
cxx=$(tool "$configured_cxx" c++)
[[ -n $cxx ]] || skip "no C++ compiler here (needed to build a plugin)"
[[ $(basename "$configured_make") == ninja* ]] || configured_make=""
ninja=$(tool "$configured_make" ninja)
if [[ -n $ninja ]]; then generator=(-G Ninja "-DCMAKE_MAKE_PROGRAM=$ninja")
elif command -v make >/dev/null; then generator=(-G "Unix Makefiles")
else skip "neither ninja nor make is installed here (needed to build a plugin)"
fi
echo '#include <boost/json.hpp>' | "$cxx" -x c++ -std=c++20 -fsyntax-only - 2>/dev/null ||
  skip "the Boost.JSON headers the SDK uses are not installed here (libboost-json-dev)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cmake" --install "$build_dir" --prefix "$work/prefix" >/dev/null
"$cmake" -S "$example_src" -B "$work/build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
"$cmake" --build "$work/build" >/dev/null
mkdir -p "$work/plugins"
cp "$work/build/plugins/"* "$work/plugins/"
chmod -R go-w "$work/plugins"

# gpuhost as in the unit tests: none of this machine's or the user's settings,
# devices or folders; of the real plugins only cpu (tests/support/hermetic_env.hpp).
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(GPUHOST_|PIP_|UV_)' || true)
unset CUDA_VISIBLE_DEVICES HSA_OVERRIDE_GFX_VERSION ROCR_VISIBLE_DEVICES HIP_VISIBLE_DEVICES \
  VK_ICD_FILENAMES VK_DRIVER_FILES VK_ADD_DRIVER_FILES OCL_ICD_VENDORS OCL_ICD_FILENAMES
export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state \
  XDG_DATA_HOME=$work/data
off=""
for manifest in "$(dirname "$gpuhost")"/plugins/*.gpuhost-plugin.json; do
  name=$(basename "$manifest" .gpuhost-plugin.json)
  [[ $name == cpu || ! -e $manifest ]] || off+=${off:+,}$name
done
export GPUHOST_DISABLE_PLUGINS=$off GPUHOST_PLUGIN_PATH=$work/plugins

listing=$("$gpuhost" plugins --json)
echo "$listing" | grep -q '"name": "example"' || { echo "example plugin not loaded:"; echo "$listing"; exit 1; }
detected=$("$gpuhost" detect --json)
echo "$detected" | grep -q '"name": "Example virtual accelerator"' || { echo "example device missing:"; echo "$detected"; exit 1; }
echo "example plugin built out of tree, listed and detected"
