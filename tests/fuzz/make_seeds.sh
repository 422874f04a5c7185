#!/usr/bin/env bash
# Remakes seeds/ (see seeds.txt): plans from `gpuhost plan PROFILE --inventory
# FIXTURE --json` for every profile on every recorded inventory, then
# fuzz_make_seeds for the cache, state, config, manifest and requirement seeds
# (make_seeds.cpp). Paths of this checkout and of the scratch home are written
# as /src and /home/user. Usage: tests/fuzz/make_seeds.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
home="$(mktemp -d)"; trap 'rm -rf "$home"' EXIT
out="$root/tests/fuzz/seeds/plan"
rm -rf "$out"; mkdir -p "$out"
profiles=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' "$root/tests/fixtures/plans/cpu-only.json")
for inv in "$root"/tests/fixtures/inventories/*.json; do
  name=$(basename "$inv" .json)
  for p in $profiles; do
    env -i PATH="$PATH" HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
      XDG_DATA_HOME="$home/.local/share" "$build/bin/gpuhost" plan "$p" --inventory "$inv" --json \
      | sed -e "s|$root|/src|g" -e "s|$home|/home/user|g" > "$out/$name-$p.json"
  done
done
"$build/bin/fuzz_make_seeds"
