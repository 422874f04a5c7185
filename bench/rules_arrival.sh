#!/usr/bin/env bash
# How the recovery rules do on texts they had not seen, measured on the
# development part only: for every commit that added error texts, rank the
# development texts it added with the rules of the commit before it, using
# today's matcher (scripts/lib/rules.lua, or the one given). A change to the
# ranking can be judged here without looking at the held-out part, whose
# texts the rules never see. Prints figures; asserts nothing.
#   bench/rules_arrival.sh [since-commit] [rules.lua]
set -euo pipefail
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
total=0; first=0
printf '%-10s %s\n' commit "development texts it added, ranked first by the rules before it"
for c in $(git rev-list --reverse "$since..HEAD"); do
  added=$(git diff-tree --no-commit-id --name-only --diff-filter=A -r "$c" -- 'tests/data/errors/*.txt')
  [ -n "$added" ] || continue
  d="$work/$c"; mkdir -p "$d/errors"
  git archive "$c^" scripts | tar -x -C "$d"
  cp "$matcher" "$d/scripts/lib/rules.lua"
  git show "$c:tests/data/errors/SOURCES.tsv" > "$d/sources.tsv"
  for f in $added; do
    name=$(basename "$f")
    git show "$c:$f" > "$d/errors/$name"
    awk -F'\t' -v n="$name" '$1 == n' "$d/sources.tsv" | head -1 >> "$d/errors/SOURCES.tsv"
  done
  line=$("$quality" "$d/scripts" "$d/errors" 2>/dev/null | grep '^development' || true)
  n=$(awk '{print $2}' <<<"$line"); k=$(awk '{print $5}' <<<"$line")
  [ -n "$n" ] && [ "$n" -gt 0 ] || continue
  printf '%-10s %d/%d\n' "$(git log -1 --format=%h "$c")" "$k" "$n"
  total=$((total + n)); first=$((first + k))
done
awk -v k="$first" -v n="$total" 'BEGIN { printf "on arrival: %d/%d development texts ranked first (%.1f%%)\n", k, n, n ? 100 * k / n : 0 }'
