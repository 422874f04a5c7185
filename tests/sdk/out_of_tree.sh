#!/usr/bin/env bash
# Installs the SDK from the build tree, builds the example plugin out of tree
# with find_package(gpuhost-sdk), drops it into a plugin folder and checks
# that gpuhost lists it and runs its detect.
set -euo pipefail
build_dir=$1 example_src=$2 gpuhost=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$example_src" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
mkdir -p "$work/plugins"
cp "$work/build/plugins/"* "$work/plugins/"
chmod -R go-w "$work/plugins"
listing=$(GPUHOST_PLUGIN_PATH="$work/plugins" "$gpuhost" plugins --json)
echo "$listing" | grep -q '"name": "example"' || { echo "example plugin not loaded:"; echo "$listing"; exit 1; }
detected=$(GPUHOST_PLUGIN_PATH="$work/plugins" "$gpuhost" detect --json)
echo "$detected" | grep -q '"name": "Example virtual accelerator"' || { echo "example device missing:"; echo "$detected"; exit 1; }
echo "example plugin built out of tree, listed and detected"
