#!/usr/bin/env bash
# How the recovery rules do on texts they had not seen, measured on the
# development part only: for every commit that added error texts, rank the
# development texts it added with the rules of the commit before it, using
# today's matcher (scripts/lib/rules.lua, or the one given, with the
# lib/gpu_targets.lua and lib/word_guess.lua beside it). The figures are the
# rules' alone (patterns, then hints): the learned words never rank a
# development text here, as they were learned from these texts. A change to the
# ranking can be judged here without looking at the held-out part, whose
# texts the rules never see. Prints figures; asserts nothing.
#   bench/rules_arrival.sh [--misses | --hints-vs-words] [since-commit] [rules.lua]
# --misses also names each development text that missed on arrival, with what
# ranked first: the families whose new wordings the rules keep missing.
# --hints-vs-words relearns the word weights from the corpus of the commit
# before, and compares the fallbacks on the arrivals no pattern matched: how
# many the hints alone ranked first, the learned words alone, and gpuhost's
# answer (the hints with near-ties broken by the words).
set -euo pipefail
misses=0; versus=0
if [ "${1:-}" = --misses ]; then misses=1; shift; fi
if [ "${1:-}" = --hints-vs-words ]; then versus=1; shift; fi
here="$(cd "$(dirname "$0")/.." && pwd)"
# The first commit after which batches arrived against a stable rule set.
since="${1:-9fdc749}"
# A matcher given on the command line is read from where it was named.
matcher="$(realpath "${2:-$here/scripts/lib/rules.lua}")"
cd "$here"
quality="$here/build/bin/rules_quality"
[ -x "$quality" ] || { echo "rules_arrival: $quality not built (cmake --build --preset default)" >&2; exit 2; }
git rev-parse -q --verify "$since^{commit}" >/dev/null || { echo "rules_arrival: no commit $since in this clone (needs the history)" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
total=0; first=0; fallback=0; by_hints=0; by_words=0; by_answer=0
printf '%-10s %s\n' commit "development texts it added, ranked first by the rules before it"
for c in $(git rev-list --reverse "$since..HEAD"); do
  added=$(git diff-tree --no-commit-id --name-only --diff-filter=A -r "$c" -- 'tests/data/errors/*.txt')
  [ -n "$added" ] || continue
  d="$work/$c"; mkdir -p "$d/errors"
  git archive "$c^" scripts | tar -x -C "$d"
  cp "$matcher" "$d/scripts/lib/rules.lua"
  # The modules the matcher loads beside it come with it (older commits lack them).
  for m in gpu_targets.lua word_guess.lua word_weights.lua; do cp "$(dirname "$matcher")/$m" "$d/scripts/lib/"; done
  git show "$c:tests/data/errors/SOURCES.tsv" > "$d/sources.tsv"
  if [ "$versus" = 1 ]; then
    mkdir -p "$d/before"
    git archive "$c^" tests/data/errors | tar -x -C "$d/before"
    "$quality" --learn-words "$d/scripts" "$d/before/tests/data/errors" >/dev/null
  fi
  for f in $added; do
    name=$(basename "$f")
    git show "$c:$f" > "$d/errors/$name"
    awk -F'\t' -v n="$name" '$1 == n' "$d/sources.tsv" | head -1 >> "$d/errors/SOURCES.tsv"
  done
  "$quality" "$d/scripts" "$d/errors" 2>"$d/stderr" >"$d/figures" || true
  line=$(grep '^development' "$d/figures" || true)
  # No figures at all means the matcher did not load against that commit's scripts: say so, do not skip it.
  [ -n "$line" ] || { echo "rules_arrival: $(git log -1 --format=%h "$c"): rules_quality gave no figures:" >&2; head -3 "$d/stderr" >&2; exit 1; }
  n=$(awk '{print $2}' <<<"$line"); k=$(awk '{print $5}' <<<"$line")
  [ -n "$n" ] && [ "$n" -gt 0 ] || continue
  printf '%-10s %d/%d\n' "$(git log -1 --format=%h "$c")" "$k" "$n"
  if [ "$versus" = 1 ]; then
    read -r a b c e < <(sed -n 's/^fallbacks, development texts no pattern matched: \([0-9]*\); first by the hints alone \([0-9]*\), by the learned words alone \([0-9]*\), by gpuhost.s answer \([0-9]*\)$/\1 \2 \3 \4/p' "$d/figures") || true
    fallback=$((fallback + ${a:-0})); by_hints=$((by_hints + ${b:-0})); by_words=$((by_words + ${c:-0})); by_answer=$((by_answer + ${e:-0}))
  fi
  if [ "$misses" = 1 ]; then grep '^  development miss:' "$d/figures" | sed 's/^  development miss:/    missed:/' || true; fi
  total=$((total + n)); first=$((first + k))
done
awk -v k="$first" -v n="$total" 'BEGIN { printf "on arrival: %d/%d development texts ranked first (%.1f%%)\n", k, n, n ? 100 * k / n : 0 }'
if [ "$versus" = 1 ]; then
  echo "arrivals no pattern matched: $fallback; first by the hints alone $by_hints, by the learned words alone $by_words, by gpuhost's answer (hints, near-ties by the words) $by_answer (words learned from the corpus before each)"
fi
