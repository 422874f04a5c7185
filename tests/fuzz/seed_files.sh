#!/usr/bin/env bash
# Prints the seed files of one fuzz target (tests/fuzz/seeds.txt), one per
# line, as absolute paths, sorted. Usage: seed_files.sh TARGET [REPO_ROOT]
set -euo pipefail
target=$1
root=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"
shopt -s globstar nullglob
line=$(grep -E "^$target:" tests/fuzz/seeds.txt || true)
if [[ -z $line ]]; then
  echo "seed_files.sh: no line for \"$target\" in tests/fuzz/seeds.txt" >&2
  exit 2
fi
for pattern in ${line#*:}; do
  for f in $pattern; do
    [[ -f $f ]] && printf '%s\n' "$root/$f"
  done
done | sort -u
