#!/usr/bin/env bash
# Builds gpuhost the way a packager does (the default Unix Makefiles generator,
# no tests, so no Boost.Test), makes the .deb with cpack, unpacks it into an
# empty root with dpkg -x, and runs the installed gpuhost from there: it must
# find its plugins and scripts beside itself, with nothing from the build tree.
# usage: tools/check-package.sh [BUILD_DIR] [--packaged-only]   (default build-make/)
# --packaged-only: package an existing, fully built tree of any generator as it
# is (no configure, no build) and check that package.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${1:-build-make}
packaged_only=${2:-}
fail() { echo "check-package: FAIL: $*" >&2; exit 1; }
jobs=$(( $(nproc) < 4 ? $(nproc) : 4 ))

if [ "$packaged_only" != --packaged-only ]; then
  cmake -S . -B "$build" -G "Unix Makefiles" -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  grep -q "unit_test_framework" "$build/CMakeCache.txt" && fail "BUILD_TESTING=OFF still looked for Boost.Test"
  start=$(date +%s)
  cmake --build "$build" -j"$jobs"
  echo "check-package: Makefiles build took $(( $(date +%s) - start )) s"
fi
rm -f "$build"/gpuhost_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/gpuhost_*.deb)
echo "check-package: $deb ($(du -h "$deb" | cut -f1))"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
dpkg -x "$deb" "$root"
depends=$(dpkg-deb -f "$deb" Depends)
for dep in python3-venv libboost-json libboost-program-options liblua5.4 libc6; do
  [[ "$depends" == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done
for f in usr/bin/gpuhost usr/lib/gpuhost/plugins/cpu.gpuhost-plugin.json usr/share/gpuhost/scripts/profiles/vector_search.lua \
         usr/include/gpuhost/plugin_abi.h usr/share/man/man1/gpuhost.1 usr/share/bash-completion/completions/gpuhost \
         usr/share/zsh/vendor-completions/_gpuhost usr/share/fish/vendor_completions.d/gpuhost.fish \
         usr/share/doc/gpuhost/README.md; do
  [ -e "$root/$f" ] || fail "the package lacks /$f"
done
sdk_config=$(find "$root/usr/lib" -path '*/cmake/gpuhost-sdk/gpuhost-sdk-config.cmake' | head -1)
[ -n "$sdk_config" ] || fail "the package lacks the SDK's CMake package"

# The installed tool, away from the source and build trees, with a clean home.
home=$work/home
mkdir -p "$home"
run() {
  (cd "$work" && env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 GPUHOST_DISABLE_PLUGINS=vulkan,opencl \
     "$root/usr/bin/gpuhost" "$@")
}
run --version
run detect --json > "$work/detect.json" || fail "installed gpuhost detect failed"
python3 - "$work/detect.json" <<'PY' || fail "installed detect found no usable CPU"
import json, sys
inv = json.load(open(sys.argv[1]))
assert inv["schema"], inv
assert any(d["backend"] == "cpu" and d["usable"] for d in inv["devices"]), inv["devices"]
plugins = {p["plugin"] for p in inv["plugins"]}
assert {"cpu", "cuda", "rocm", "intel"} <= plugins, plugins
PY
run plan lightweight --json > "$work/plan.json" || fail "installed gpuhost plan failed"
grep -q "\"profile_path\": \"$root/usr/share/gpuhost/scripts/profiles/lightweight.lua\"" "$work/plan.json" \
  || fail "the plan's profile is not the installed one: $(grep profile_path "$work/plan.json")"
run plugins --json | grep -q "$root/usr/lib/gpuhost/plugins" || fail "plugins are not found beside the installed binary"
echo "check-package: ok"
