#!/usr/bin/env bash
# `gpuhost run` on an up-to-date environment against `pip install` (and `uv pip
# install` when uv is on PATH) of the same, already-installed packages: all
# no-ops. Prints each median and the ratio; the goal is gpuhost >= 5x faster
# than pip. A benchmark, not a test: it asserts nothing.
#   bench/run_noop_bench.sh [GPUHOST_BINARY] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
gpuhost=${1:-$here/build/bin/gpuhost}
runs=${2:-15}
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL VIRTUAL_ENV
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1

pkgs=(numpy==1.26.4 six==1.16.0 torch==2.7.0+cpu packaging==24.1 filelock==3.15.4)
python3 "$here/tests/env/wheel_index.py" build "$work/index" "${pkgs[@]}"
python3 "$here/tests/env/wheel_index.py" serve "$work/index" "$work/port" &
server_pid=$!
for _ in $(seq 100); do [ -f "$work/port" ] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$work/port")/simple/"
specs=(numpy==1.26.4 six==1.16.0 torch==2.7.0 packaging==24.1 filelock==3.15.4)
minor=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
printf '{"profile":"bench","device":"cpu:0","backend":"cpu","accelerator":"cpu","python":{"min":"%s","max":"%s"},"index_url":"%s","packages":[%s],"smoke_test":"import numpy, six, torch"}\n' \
  "$minor" "$minor" "$url" "$(printf '"%s",' "${specs[@]}" | sed 's/,$//')" > "$work/plan.json"
env="$work/env"
"$gpuhost" run --plan "$work/plan.json" --env "$env" --installer pip -q

# Milliseconds of one command, median over $runs.
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m / 1000}'
}

# Sanity: the gpuhost run really is a reuse with no process started.
"$gpuhost" run --plan "$work/plan.json" --env "$env" --installer pip --json 2>/dev/null | python3 -c \
  'import json,sys; r=json.load(sys.stdin); assert r["decision"]["action"]=="reuse" and not r["processes"], r; print("gpuhost decision: reuse, processes started: 0")'

g=$(median_ms "$gpuhost" run --plan "$work/plan.json" --env "$env")
p=$(median_ms "$env/bin/python" -m pip install --index-url "$url" "${specs[@]}")
echo "packages: ${#specs[@]}, runs each: $runs"
printf 'gpuhost run (reuse)        median %8.2f ms\n' "$g"
printf 'pip install (no-op)        median %8.2f ms   ratio pip/gpuhost: %.0fx (goal >= 5x)\n' "$p" "$(awk -v a="$p" -v b="$g" 'BEGIN {print a / b}')"
if command -v uv >/dev/null; then
  u=$(median_ms uv pip install --python "$env/bin/python" --index-url "$url" "${specs[@]}")
  printf 'uv pip install (no-op)     median %8.2f ms   ratio uv/gpuhost:  %.0fx\n' "$u" "$(awk -v a="$u" -v b="$g" 'BEGIN {print a / b}')"
else
  echo "uv pip install: uv not on PATH (tools/install-uv.sh), not measured"
fi
