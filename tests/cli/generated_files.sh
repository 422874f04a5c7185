#!/usr/bin/env bash
# The build's generated files: a failing code generator fails its step with the
# tool's message (run_producing.cmake), and the man page and completion scripts
# the build wrote from gpuhost's own help are whole and valid for their shells.
# usage: generated_files.sh SOURCE_DIR BUILD_DIR GPUHOST
set -euo pipefail
src=$1 build=$2 gpuhost=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. glslangValidator exits 0 when it cannot write its output; the wrapper does not.
printf '#version 450\nvoid main() { this is not glsl }\n' > "$work/broken.comp"
if out=$(cmake -DOUT="$work/out/broken.spv.h" -P "$src/cmake/run_producing.cmake" -- \
    glslangValidator -V --vn x -o "$work/out/broken.spv.h" "$work/broken.comp" 2>&1); then
  fail "a shader that does not compile passed: $out"
fi
grep -q "glslangValidator failed" <<<"$out" || fail "no tool name in: $out"
grep -q "ERROR" <<<"$out" || fail "the tool's own message is missing: $out"
[ ! -e "$work/out/broken.spv.h" ] || fail "a failed step left its output behind"
# The output folder is made first (the Unix Makefiles generator does not make it).
cmake -DOUT="$work/deep/er/copy.spv.h" -P "$src/cmake/run_producing.cmake" -- \
  glslangValidator -V --vn spirv_copy -o "$work/deep/er/copy.spv.h" "$src/sdk/vulkan/kernels/copy.comp" >/dev/null
[ -s "$work/deep/er/copy.spv.h" ] || fail "no output in a folder that did not exist"
# A tool that exits non-zero fails the step and its words are shown.
if out=$(cmake -DOUT="$work/x" -P "$src/cmake/run_producing.cmake" -- sh -c 'echo nvcc-says-no >&2; exit 3' 2>&1); then
  fail "a failing tool passed"
fi
grep -q "nvcc-says-no" <<<"$out" || fail "the failing tool's message is missing: $out"

# 2. The man page lists every visible command with its options, and is valid roff.
man=$build/share/man/man1/gpuhost.1
[ -s "$man" ] || fail "no man page at $man"
for c in $("$gpuhost" --help | awk '/^commands:/{on=1;next} on&&/^  [a-z]/{print $1} on&&/^$/{exit}'); do
  grep -q "^\.SS $c\$" "$man" || fail "man page lacks command $c"
done
grep -q 'no\\-cache' "$man" || fail "man page lacks run's options"
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww "$man" 2>&1 >/dev/null || true)
  [ -z "$warnings" ] || fail "groff: $warnings"
fi

# 3. Completion scripts: the same as `gpuhost completion SHELL`, valid syntax, complete.
for shell in bash zsh fish; do
  "$gpuhost" completion "$shell" > "$work/c.$shell"
done
cmp -s "$work/c.bash" "$build/share/bash-completion/completions/gpuhost" || fail "installed bash completion differs"
bash -n "$work/c.bash" || fail "bash completion has a syntax error"
! command -v zsh >/dev/null || zsh -n "$work/c.zsh" || fail "zsh completion has a syntax error"
! command -v fish >/dev/null || fish --no-execute "$work/c.fish" || fail "fish completion has a syntax error"
# Every word offered after a command is an option name, nothing from a wrapped description.
bad=$(grep -oE '\) opts="[^"]*"' "$work/c.bash" | sed 's/) opts="//; s/"$//' | tr ' ' '\n' | grep -vE '^(--[a-z0-9-]+|[a-z]+)$' || true)
[ -z "$bad" ] || fail "bash completion offers non-options: $bad"
# bash: what it offers after `gpuhost plan --no-`.
got=$(bash -c "source '$work/c.bash'; COMP_WORDS=(gpuhost plan --no-); COMP_CWORD=2; _gpuhost; echo \"\${COMPREPLY[*]}\"")
[[ "$got" == *--no-cache* ]] || fail "bash completion of 'plan --no-' gave: $got"
got=$(bash -c "source '$work/c.bash'; COMP_WORDS=(gpuhost de); COMP_CWORD=1; _gpuhost; echo \"\${COMPREPLY[*]}\"")
[[ "$got" == "detect" ]] || fail "bash completion of 'de' gave: $got"
grep -q "__fish_seen_subcommand_from run' -l no-cache" "$work/c.fish" || fail "fish completion lacks run --no-cache"
grep -q "^#compdef gpuhost" "$work/c.zsh" || fail "zsh completion lacks #compdef"
echo "generated files: ok"
