#!/usr/bin/env bash
# Packs a built gpuhost into one relocatable archive for a machine that has a GPU but
# no network and none of the build's libraries (Boost, Lua, OpenBLAS...).
#   make-bundle.sh BUILD_DIR OUT_DIR
# OUT_DIR receives gpuhost-bundle.tar.xz (gpuhost, plugins, scripts, the shared libraries
# they need that glibc does not provide, and bench programs when built) and
# tools.tar.xz (vulkaninfo, clinfo, uv and their libraries, when present here).
set -euo pipefail
build=$(realpath "$1"); out=$(realpath -m "$2"); mkdir -p "$out"
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
cmake --install "$build" --prefix "$stage/gh" --strip >/dev/null
rm -f "$stage/gh/lib/"*.a; mkdir -p "$stage/gh/deps"
for b in cuda_smoke kernels_bench; do [ -x "$build/bin/$b" ] && strip -o "$stage/gh/$b" "$build/bin/$b"; done
# every non-glibc library the binary and plugins load, resolved here
libs() { ldd "$@" 2>/dev/null | awk '/=> \//{print $3}' | grep -v -E '/(libc|libm|libdl|libpthread|librt|ld-linux|libstdc\+\+|libgcc_s)[.-]' | sort -u; }
for l in $(libs "$stage/gh/bin/gpuhost" "$stage/gh/lib/gpuhost/plugins/"*.so); do cp -L "$l" "$stage/gh/deps/"; done
# libraries gpuhost opens at run time (never linked), when this machine has them
for l in /usr/lib/x86_64-linux-gnu/libclblast.so.1; do [ -e "$l" ] && cp -L "$l" "$stage/gh/deps/"; done
tar -C "$stage/gh" -cJf "$out/gpuhost-bundle.tar.xz" .
mkdir -p "$stage/tools/bin" "$stage/tools/lib"
for t in vulkaninfo clinfo uv; do p=$(command -v $t || true); [ -n "$p" ] && cp -L "$p" "$stage/tools/bin/"; done
for l in $(libs "$stage/tools/bin/"*) $(ls /lib/x86_64-linux-gnu/libvulkan.so.1 /lib/x86_64-linux-gnu/libOpenCL.so.1 2>/dev/null); do cp -L "$l" "$stage/tools/lib/"; done
tar -C "$stage/tools" -cJf "$out/tools.tar.xz" .
ls -la "$out"
