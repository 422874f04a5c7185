#!/usr/bin/env bash
# Detection speed against the usual tools, as figures (never a pass/fail test).
#   bench/detect_bench.sh [GPUHOST] [RUNS]
# Runs `gpuhost detect` cold (cache cleared before each run), `gpuhost detect` warm
# (cache valid), `gpuhost detect --all` cold (the Vulkan and OpenCL probes whatever the
# vendor plugins found, as every detection was before they became conditional),
# `vulkaninfo --summary`, `clinfo -l` and, where present, `nvidia-smi -L`, RUNS times
# each (default 15), and prints medians, minimums, ratios to vulkaninfo and nvidia-smi,
# the probe set a plain detect used, and peak resident memory from /usr/bin/time -v
# (for gpuhost: the largest of gpuhost and its probe children).
# Targets: cold <= vulkaninfo --summary; on a GPU server cold <= 1.5x nvidia-smi -L;
# warm < 1/10 of vulkaninfo; the host process's own peak RSS < 30 MB (from
# `detect --timings`; probe children hold the drivers).
set -euo pipefail
gpuhost=${1:-"$(dirname "$0")/../build/bin/gpuhost"}
runs=${2:-15}
[[ -x $gpuhost ]] || { echo "gpuhost not found at $gpuhost (build first, or pass its path)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

# Private cache/state/config so the user's own files are neither used nor touched.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CACHE_HOME=$scratch/cache XDG_STATE_HOME=$scratch/state XDG_CONFIG_HOME=$scratch/config

# measure NAME PREP CMD...: RUNS timed runs, then RUNS more under /usr/bin/time -v
# for the peak RSS (kept apart so time's own exec does not count in the medians);
# sets median_ms[NAME] and peak_kb[NAME].
declare -A median_ms min_ms peak_kb
measure() {
    local name=$1 prep=$2; shift 2
    local times=() peak=0
    for ((i = 0; i < runs; i++)); do
        eval "$prep"
        local start=$EPOCHREALTIME
        "$@" >/dev/null 2>"$scratch/stderr" || { echo "$name failed:" >&2; cat "$scratch/stderr" >&2; return 1; }
        local end=$EPOCHREALTIME
        times+=("$(echo "($end - $start) * 1000" | bc -l)")
    done
    for ((i = 0; i < runs; i++)); do
        eval "$prep"
        /usr/bin/time -v -o "$scratch/rusage" "$@" >/dev/null 2>&1
        local kb; kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$scratch/rusage")
        ((kb > peak)) && peak=$kb
    done
    median_ms[$name]=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
    min_ms[$name]=$(printf '%s\n' "${times[@]}" | sort -g | head -n1)
    peak_kb[$name]=$peak
}

echo "machine: $(nproc) cores, $(uname -r); gpuhost: $gpuhost; $runs runs each"
echo "plugins present: $("$gpuhost" plugins --json | python3 -c 'import json,sys; print(", ".join(p["name"] + " " + p["version"] for p in json.load(sys.stdin)["loaded"]))')"
measure "/bin/true (exec floor)" ":" /bin/true
measure "gpuhost detect (cold)" "\"$gpuhost\" cache clear >/dev/null" "$gpuhost" detect
"$gpuhost" detect >/dev/null
measure "gpuhost detect (warm)" ":" "$gpuhost" detect
measure "gpuhost detect --all (cold)" "\"$gpuhost\" cache clear >/dev/null" "$gpuhost" detect --all
have_vk=0 have_cl=0 have_smi=0
if command -v vulkaninfo >/dev/null; then measure "vulkaninfo --summary" ":" vulkaninfo --summary && have_vk=1; fi
if command -v clinfo >/dev/null; then measure "clinfo -l" ":" clinfo -l && have_cl=1; fi
if command -v nvidia-smi >/dev/null; then measure "nvidia-smi -L" ":" nvidia-smi -L && have_smi=1; fi
names=("/bin/true (exec floor)" "gpuhost detect (cold)" "gpuhost detect (warm)" "gpuhost detect --all (cold)"
       "vulkaninfo --summary" "clinfo -l" "nvidia-smi -L")
# ratio A B KIND: A's KIND (median_ms or min_ms) over B's, or "-" when B was not measured.
ratio() {
    local -n figures=$3
    [[ -n ${figures[$2]:-} ]] || { echo "-"; return; }
    printf '%.3f' "$(echo "${figures[$1]} / ${figures[$2]}" | bc -l)"
}

# Other work on a shared machine only ever adds time: the minimum shows the cost
# without it, the median what a user typically sees.
printf '\n%-28s %10s %10s %12s %12s %12s %12s %12s\n' "command" "median ms" "min ms" "peak RSS MB" \
    "med/vkinfo" "min/vkinfo" "med/smi -L" "min/smi -L"
for name in "${names[@]}"; do
    [[ -n ${median_ms[$name]:-} ]] || continue
    printf '%-28s %10.1f %10.1f %12.1f %12s %12s %12s %12s\n' "$name" "${median_ms[$name]}" "${min_ms[$name]}" \
        "$(echo "${peak_kb[$name]} / 1024" | bc -l)" \
        "$(ratio "$name" "vulkaninfo --summary" median_ms)" "$(ratio "$name" "vulkaninfo --summary" min_ms)" \
        "$(ratio "$name" "nvidia-smi -L" median_ms)" "$(ratio "$name" "nvidia-smi -L" min_ms)"
done
echo
echo "per-stage timings of one cold and one warm run:"
"$gpuhost" cache clear >/dev/null
"$gpuhost" detect --timings 2>&1 >/dev/null | tee "$scratch/cold-timings" | sed 's/^/  /'
"$gpuhost" detect --timings 2>&1 >/dev/null | sed 's/^/  /'
host_mb=$(awk '/peak RSS host/ {print $4}' "$scratch/cold-timings")
echo
echo "probe set of a plain cold detect: $(sed -n 's/^ *vendor-neutral probes //p' "$scratch/cold-timings")"
"$gpuhost" detect --json 2>/dev/null | python3 -c 'import json,sys
inv = json.load(sys.stdin)
print("  plugins: " + ", ".join("%s %s" % (p["plugin"], p["status"]) for p in inv["plugins"]))'
met() { bc -l | sed 's/1/met/;s/0/NOT met/'; }
cold=${median_ms[gpuhost detect (cold)]} warm=${median_ms[gpuhost detect (warm)]}
echo
if ((have_vk)); then
    vk=${median_ms[vulkaninfo --summary]}
    echo "targets: cold <= 1.0x vulkaninfo --summary: $(echo "$cold <= $vk" | met)" \
         "(median $(ratio "gpuhost detect (cold)" "vulkaninfo --summary" median_ms)x," \
         "min $(ratio "gpuhost detect (cold)" "vulkaninfo --summary" min_ms)x);" \
         "warm < vulkaninfo/10: $(echo "$warm < $vk / 10" | met)"
fi
if ((have_smi)); then
    smi=${median_ms[nvidia-smi -L]}
    echo "GPU server target: cold <= 1.5x nvidia-smi -L: $(echo "$cold <= 1.5 * $smi" | met)" \
         "(median $(ratio "gpuhost detect (cold)" "nvidia-smi -L" median_ms)x," \
         "min $(ratio "gpuhost detect (cold)" "nvidia-smi -L" min_ms)x)"
else
    echo "GPU server target (cold <= 1.5x nvidia-smi -L): not measurable here, no nvidia-smi"
fi
echo "host peak RSS < 30 MB: $(echo "$host_mb < 30" | met) ($host_mb MB; the table's peak RSS column" \
     "includes the probe children, which hold the drivers)"

# Isolation under load: a plugin that answers after 2 s, one that hangs and one that
# crashes, probed together with a 2.5 s deadline. In parallel this takes about the
# deadline; one after another it would take the sum.
test_plugins="$(dirname "$gpuhost")/../test-plugins"
if [[ -f $test_plugins/libtest_slow.so && -f $test_plugins/libtest_hang.so && -f $test_plugins/libtest_crash.so ]]; then
    dir=$scratch/misbehaving
    mkdir -p "$dir"
    for p in slow:test_slow hang:test_hang crash:test_crash; do
        name=${p%%:*} lib=lib${p#*:}.so
        cp "$test_plugins/$lib" "$dir/"
        printf '{"manifest":1,"name":"%s","vendor":"other","version":"1.0","library":"%s","abi":{"min":1,"max":1}}' \
            "$name" "$lib" >"$dir/$name.gpuhost-plugin.json"
    done
    start=$EPOCHREALTIME
    GPUHOST_PLUGIN_PATH=$dir GPUHOST_PROBE_TIMEOUT_MS=2500 "$gpuhost" detect --no-cache --json >"$scratch/inv.json" 2>/dev/null
    end=$EPOCHREALTIME
    echo
    printf 'isolation: slow (2 s) + hang + crash + cpu probed in %.2f s with a 2.5 s deadline (sequential would be >= 4.5 s)\n' \
        "$(echo "$end - $start" | bc -l)"
    python3 -c 'import json,sys; [print("  %-6s %-7s %s" % (p["plugin"], p["status"], p.get("reason", ""))) for p in json.load(open(sys.argv[1]))["plugins"]]' "$scratch/inv.json"
fi
