#!/usr/bin/env bash
# Quality of the recovery rules over the real error texts in tests/data/errors
# (each named <rule_id>--<n>.txt): how many rank their own rule first with a
# score above the runner-up (top-1), how many tie, go to another rule, or match
# nothing. Matching is on the text alone (--text-only), as for a pasted log.
#   bench/rules_report.sh [path/to/gpuhost] [errors-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
gpuhost="${1:-$here/build/bin/gpuhost}"
dir="${2:-$here/tests/data/errors}"
[ -x "$gpuhost" ] || { echo "rules_report: $gpuhost not built (cmake --build --preset default)" >&2; exit 2; }

total=0 top1=0 ties=0 wrong=0 none=0
start=$(date +%s.%N)
for f in "$dir"/*--*.txt; do
  want="$(basename "$f")"; want="${want%%--*}"
  total=$((total + 1))
  json="$("$gpuhost" explain --json --text-only --top 2 "$f" 2>/dev/null || true)"
  # The matches come best first; each has one "id" and one "score" line.
  ids=($(printf '%s\n' "$json" | sed -n 's/^ *"id": "\([^"]*\)",*$/\1/p'))
  scores=($(printf '%s\n' "$json" | sed -n 's/^ *"score": \([^,]*\),*$/\1/p'))
  if [ ${#ids[@]} -eq 0 ]; then
    none=$((none + 1)); echo "UNMATCHED $(basename "$f")"
  elif [ "${ids[0]}" != "$want" ]; then
    wrong=$((wrong + 1)); echo "MISS      $(basename "$f") -> ${ids[0]} (${scores[0]})"
  elif [ ${#ids[@]} -gt 1 ] && awk -v a="${scores[0]}" -v b="${scores[1]}" 'BEGIN{exit !(a<=b)}'; then
    ties=$((ties + 1)); echo "TIE       $(basename "$f") -> ${ids[0]} = ${ids[1]} (${scores[0]})"
  else
    top1=$((top1 + 1))
  fi
done
end=$(date +%s.%N)
# One large log: every text 12 times over (about 0.6 MB), matched in one call.
big="$(mktemp)"; trap 'rm -f "$big"' EXIT
for _ in $(seq 1 12); do cat "$dir"/*--*.txt; done > "$big"
big_start=$(date +%s.%N)
"$gpuhost" explain --text-only --top 0 "$big" > /dev/null || true
big_end=$(date +%s.%N)
big_bytes=$(wc -c < "$big")
rules=$("$gpuhost" explain --json --text-only "$dir/$(ls "$dir" | grep -- '--' | head -1)" | sed -n 's/^ *"rules_loaded": \([0-9]*\).*/\1/p')
awk -v bb="$big_bytes" -v bs="$big_start" -v be="$big_end" -v t="$total" -v o="$top1" -v ti="$ties" -v w="$wrong" -v n="$none" -v r="$rules" -v s="$start" -v e="$end" 'BEGIN{
  printf "rules loaded:          %d\n", r
  printf "error texts:           %d\n", t
  printf "own rule first (top-1): %d (%.1f%%)  target 95%%\n", o, 100*o/t
  printf "tied with another:     %d\n", ti
  printf "another rule first:    %d\n", w
  printf "no rule at all:        %d  target 0\n", n
  printf "large log:             %.1f MB matched in %.0f ms (whole gpuhost explain run)\n", bb/1e6, 1000*(be-bs)
  printf "wall time:             %.2f s, %.1f ms per text (a gpuhost explain process: Lua state, rule loading, match; plus parsing here)\n", e-s, 1000*(e-s)/t
}'
[ "$none" -eq 0 ] && [ $((top1 * 100)) -ge $((total * 95)) ]
