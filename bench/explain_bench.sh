#!/usr/bin/env bash
# How long `gpuhost explain` takes on logs that used to make the matcher slow
# (issue 16): a 200 MB log, a 50 MB single line, and a 2 MB log of one repeated
# line; and a 200 MB log no pattern or hint matches, whose window the last
# resort (the learned words) reads word by word. Prints the figures and the
# 2 s goal; asserts nothing.
#   bench/explain_bench.sh [path/to/gpuhost]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
gpuhost="${1:-$here/build/bin/gpuhost}"
[ -x "$gpuhost" ] || { echo "explain_bench: $gpuhost not built (cmake --build --preset default)" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

# 200 MB: a long training log of progress lines ending in one CUDA
# out-of-memory error.
awk 'BEGIN { for (i = 0; i < 2700000; i++) printf "step %d/4000000 loss %.4f lr 3.0e-05 grad_norm 1.25 tokens/s 51234\n", i, 2.5 / (1 + i / 100000) }' > "$work/big.log"
echo "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB" >> "$work/big.log"
# 50 MB on one line, no newline: a word that starts many patterns but finishes none.
head -c $((50 * 1000 * 1000)) /dev/zero | tr '\0' 'x' | sed 's/xxxxxxxxxx/hip out of/g' > "$work/line.log"
# 200 MB of lines in many words and none a rule knows: the learned words read all of its window.
awk 'BEGIN { for (i = 0; i < 2500000; i++) printf "worker%d segment %d loading shard%d while building tensor layout w%x\n", i % 97, i, i % 13, i * 7919 }' > "$work/unknown.log"
# 2 MB of one realistic line.
{ yes "hip out of memory. tried to allocate 2.00 gib" || true; } | head -c $((2 * 1000 * 1000)) > "$work/repeat.log"

run() {
  local name="$1" file="$2" start end
  start=$(date +%s.%N)
  "$gpuhost" explain --text-only --json "$file" > "$work/out.json" || true
  end=$(date +%s.%N)
  local first
  first=$(sed -n 's/^ *"id": "\([^"]*\)",*$/\1/p' "$work/out.json" | head -1)
  awk -v n="$name" -v b="$(stat -c %s "$file")" -v s="$start" -v e="$end" -v f="${first:-none}" 'BEGIN{
    t = e - s; printf "%-28s %7.1f MB  %6.2f s  %s  first rule: %s\n", n, b/1e6, t, (t < 2 ? "under 2 s" : "OVER 2 s"), f }'
}
echo "gpuhost explain, whole process (start, rule loading, reading, matching, output); goal: under 2 s each"
run "200 MB log" "$work/big.log"
run "50 MB single line" "$work/line.log"
run "2 MB of one repeated line" "$work/repeat.log"
run "200 MB log no rule knows" "$work/unknown.log"
