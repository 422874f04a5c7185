#!/usr/bin/env bash
# The fuzz campaign (issue 13): builds the libFuzzer variants of tests/fuzz/
# with clang (ASan + UBSan) and runs each target in turn, one at a time,
# starting from its seed corpus (tests/fuzz/seeds.txt) and its kept crashers.
# Prints per target: executions, exec/s, coverage (edges) and features,
# corpus size, and what it found. A finding (crash, sanitizer report, leak,
# timeout, out of memory) is copied to tests/fuzz/crashers/<target>/, which
# ctest replays from then on (fuzz_replay_<target>); fix the code, keep the file.
#
#   bench/fuzz_campaign.sh [--minutes N | --seconds N] [--target T]... [--build-dir DIR]
#                          [--no-build] [--build-only] [--keep-findings-in DIR]
#                          [--seed N] [--scratch-corpus]
#
# Defaults: 10 minutes per target, every target, build dir build/fuzz-clang.
# The grown corpus stays in DIR/corpus/<target>/ between runs; --scratch-corpus
# starts from the seeds alone in a temporary folder and --seed fixes libFuzzer's
# random seed (ctest's short runs use both, so a run repeats what the last did).
# Exit: 0 no findings; 1 findings; 2 usage or build failure; 77 no clang with libFuzzer.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds=600
build="$root/build/fuzz-clang"
targets=()
do_build=1
do_run=1
keep="$root/tests/fuzz/crashers"
seed_args=()
scratch=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) seconds=$(($2 * 60)); shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --build-only) do_run=0; shift ;;
    --keep-findings-in) keep=$2; shift 2 ;;
    --seed) seed_args=(-seed="$2"); shift 2 ;;
    --scratch-corpus) scratch=1; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz_campaign: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Stacks for UBSan reports too, so a finding names the line that caused it.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
cxx=${GPUHOST_FUZZ_CXX:-clang++}
cc=${GPUHOST_FUZZ_CC:-clang}
if [[ $do_build == 1 ]]; then
  if ! command -v "$cxx" >/dev/null; then
    echo "fuzz_campaign: $cxx not found: install clang (Debian: apt-get install clang) or set GPUHOST_FUZZ_CXX" >&2
    exit 77
  fi
  probe="$(mktemp -d)"
  echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }' > "$probe/p.cpp"
  if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" 2>"$probe/err"; then
    echo "fuzz_campaign: $cxx cannot link libFuzzer with ASan/UBSan:" >&2; cat "$probe/err" >&2; rm -rf "$probe"
    exit 77
  fi
  rm -rf "$probe"
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  if [[ ! -f $build/CMakeCache.txt ]]; then
    cmake -S "$root/tests/fuzz" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=None \
      -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_C_COMPILER="$cc" >"$build.configure.log" 2>&1 ||
      { cat "$build.configure.log" >&2; exit 2; }
  fi
  start=$(date +%s)
  cmake --build "$build" -j"${GPUHOST_FUZZ_JOBS:-2}" --target fuzz_all || exit 2
  echo "fuzz_campaign: clang variants built in $(( $(date +%s) - start )) s"
fi
[[ $do_run == 1 ]] || exit 0

if [[ ${#targets[@]} -eq 0 ]]; then
  for f in "$build"/fuzz_*; do
    [[ -x $f && -f $f ]] && targets+=("${f##*/fuzz_}")
  done
fi
[[ ${#targets[@]} -gt 0 ]] || { echo "fuzz_campaign: no fuzz_* binaries in $build (build first)" >&2; exit 77; }

findings_total=0
summary="$(mktemp)"; trap 'rm -f "$summary"' EXIT
printf '%-16s %7s %12s %9s %7s %8s %7s %s\n' target seconds executions exec/s cov features corpus findings > "$summary"
for t in "${targets[@]}"; do
  bin="$build/fuzz_$t"
  [[ -x $bin ]] || { echo "fuzz_campaign: $bin not built" >&2; exit 77; }
  corpus="$build/corpus/$t"
  seeds="$build/seeds/$t"
  artifacts="$build/artifacts/$t"
  if [[ $scratch == 1 ]]; then
    corpus="$(mktemp -d)"; seeds="$corpus.seeds"; artifacts="$corpus.artifacts"
  fi
  mkdir -p "$corpus" "$artifacts"
  rm -rf "$seeds"; mkdir -p "$seeds"
  # Seeds named by their path, so two fixtures called "expected.json" both go in.
  while IFS= read -r f; do
    cp "$f" "$seeds/$(printf '%s' "${f#"$root"/}" | tr '/' '_')"
  done < <(bash "$root/tests/fuzz/seed_files.sh" "$t" "$root")
  dirs=("$corpus" "$seeds")
  [[ -d $root/tests/fuzz/crashers/$t ]] && dirs+=("$root/tests/fuzz/crashers/$t")
  log="$build/$t.log"
  echo "fuzz_campaign: $t for $seconds s (log: $log)"
  rc=0
  # -max_len: big enough for whole tool outputs; -timeout: one input may take 10 s
  # (the rules target's engine); -rss_limit_mb: a leak or runaway shows as a finding.
  "$bin" "${seed_args[@]}" -max_total_time="$seconds" -print_final_stats=1 -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$artifacts/" "${dirs[@]}" >"$log" 2>&1 || rc=$?
  # -a: a log may hold an input's raw bytes, and grep would then only say "binary file matches".
  cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  ft=$(grep -aoE 'ft: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  corp=$(grep -aoE 'corp: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  found=0
  for a in "$artifacts"/*; do
    [[ -f $a ]] || continue
    found=$((found + 1))
    mkdir -p "$keep/$t"
    cp "$a" "$keep/$t/"
    echo "fuzz_campaign: $t FOUND ${a##*/} -> $keep/$t/ (reproduce: $bin $keep/$t/${a##*/})"
    rm -f "$a"
  done
  if [[ $rc -ne 0 && $found -eq 0 ]]; then
    echo "fuzz_campaign: $t exited $rc without an artifact; the end of $log:" >&2
    tail -30 "$log" >&2
    found=1
  fi
  [[ $scratch == 1 ]] && rm -rf "$corpus" "$seeds" "$artifacts"
  findings_total=$((findings_total + found))
  printf '%-16s %7s %12s %9s %7s %8s %7s %s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$found" >> "$summary"
done
cat "$summary"
[[ $findings_total -eq 0 ]]
