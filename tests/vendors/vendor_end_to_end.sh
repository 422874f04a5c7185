#!/usr/bin/env bash
# A third-party vendor folder end to end, as its author would ship it: install
# the SDK from the build tree, build the vendor out of tree with
# find_package(gpuhost-sdk), drop its plugins/ folder into GPUHOST_PLUGIN_PATH
# and go through plugins, detect, select, plan, run, explain and doctor on the
# vendor's recorded machine. No file of gpuhost changes for it.
#
#   vendor_end_to_end.sh BUILD_DIR VENDOR_SRC GPUHOST [NEW_VENDOR NEW_BACKEND]
#
# With NEW_VENDOR and NEW_BACKEND the folder is first copied with "ascend" and
# "npu" replaced by them everywhere (file text and names): the design must not
# depend on the name.
set -euo pipefail
build_dir=$1 vendor_src=$2 gpuhost=$3
vendor=${4:-ascend} backend=${5:-npu}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# Checks a JSON document with a Python expression over `d`; prints the document when it fails.
check() {
  local what=$1 json=$2 expr=$3
  python3 -c "import json,sys; d=json.loads(sys.stdin.read()); sys.exit(0 if ($expr) else 1)" <<<"$json" \
    || { echo "$json" | head -c 4000 >&2; fail "$what: $expr"; }
}

# Hermetic like the C++ suites (tests/support/hermetic_env.hpp): none of this
# machine's gpuhost, device or installer settings reach the run.
while IFS='=' read -r name _; do
  case "$name" in
    GPUHOST_*|PIP_*|UV_*|CUDA_VISIBLE_DEVICES|HSA_OVERRIDE_GFX_VERSION|ROCR_VISIBLE_DEVICES|HIP_VISIBLE_DEVICES|\
    VK_ICD_FILENAMES|VK_DRIVER_FILES|OCL_ICD_VENDORS|OCL_ICD_FILENAMES|VIRTUAL_ENV|CUDA_HOME) unset "$name" ;;
  esac
done < <(env)

python3 "$here/copy_vendor.py" "$vendor_src" "$work/src" ascend "$vendor" npu "$backend"
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
mkdir -p "$work/plugins"
cp -r "$work/build/plugins/." "$work/plugins/"
chmod -R go-w "$work/plugins" "$work/src"

export GPUHOST_PLUGIN_PATH="$work/plugins" XDG_CACHE_HOME="$work/xdg/cache" XDG_CONFIG_HOME="$work/xdg/config" \
       XDG_DATA_HOME="$work/xdg/data" XDG_STATE_HOME="$work/xdg/state" GPUHOST_DISABLE_PLUGINS=vulkan,opencl
rec="$work/src/recording"

# plugins: the library, its backend and its three Lua files; nothing left out.
out=$("$gpuhost" plugins --json)
check plugins "$out" "any(p['name'] == '$vendor' and p['backends'] == ['$backend'] and len(p['scripts']) == 3 for p in d['loaded'])"
check plugins "$out" "d['script_problems'] == []"

# detect: both NPUs from the recording, with memory, driver, CANN and usable.
out=$("$gpuhost" detect --json --no-cache --sysroot "$rec")
check detect "$out" "len([x for x in d['devices'] if x['backend'] == '$backend']) == 2"
check detect "$out" "all(x['usable'] and x['memory']['total_bytes'] == 65536 << 20 and x['driver_version'] == '24.1.0'
                         and x['runtime'] == {'name': 'cann', 'version': '8.0.0'} and x['name'] == 'Ascend 910B1'
                         for x in d['devices'] if x['backend'] == '$backend')"
check detect "$out" "sorted(x['pci']['bus_id'] for x in d['devices'] if x['backend'] == '$backend') == ['0000:01:00.0', '0000:c1:00.0']"

# select: --backend takes the new backend, and an NPU is chosen.
out=$("$gpuhost" select --json --no-cache --sysroot "$rec" --backend "$backend")
check select "$out" "d['chosen'].startswith('$backend:')"
if "$gpuhost" select --json --no-cache --sysroot "$rec" --backend not_declared >/dev/null 2>"$work/err"; then
  fail "select accepted a backend no plugin declares"
fi
grep -q "is not a backend any loaded plugin declares" "$work/err" || { cat "$work/err"; fail "select: no clear error for an undeclared backend"; }

# plan: torch plus the matching adapter for a pytorch profile, with the reasons.
out=$("$gpuhost" plan deep_learning --json --sysroot "$rec")
check plan "$out" "d['backend'] == '$backend' and d['accelerator'] == '$backend' and d['framework'] == 'pytorch'"
check plan "$out" "d['packages'][:2] == ['torch==2.12.0', 'torch_$backend==2.12.0.post3']"
# torch from PyTorch's cpu index alone; the adapter (not a torch build) from the default index.
check plan "$out" "d['index_url'] == 'https://download.pytorch.org/whl/cpu' and d['extra_index_urls'] == []"
check plan "$out" "'torch' in d['index_packages'] and 'torch-$backend' not in d['index_packages'] and d['index_label'] == 'cpu'"
check plan "$out" "any('torch_$backend 2.12.0.post3 is built for torch 2.12.0' in n for n in d['notes'])"
check plan "$out" "'torch.$backend.is_available()' in d['smoke_test']"
"$gpuhost" plan learning --json --sysroot "$rec" > "$work/plan.json"

# run: the plan, installed from a wheelhouse of stand-ins named like the real
# wheels; the vendor's smoke test proves torch computes on the (stand-in) device.
python3 "$here/standin_wheels.py" "$work/plan.json" "$work/src/test/standin" "$work/wheelhouse"
set +e
"$gpuhost" run --plan "$work/plan.json" --env "$work/env" --wheelhouse "$work/wheelhouse/wheels" \
  --no-kernel-check --json > "$work/run.json" 2> "$work/run.err"
rc=$?
set -e
out=$(cat "$work/run.json")
[ $rc -eq 0 ] || { cat "$work/run.err" >&2; echo "$out" | head -c 4000 >&2; fail "run exited $rc"; }
check run "$out" "any(s.get('stage') == 'smoke-test' and s.get('status') == 'passed' for s in d['stages'])"
grep -q "ok on $backend:0" "$work/env/environment_state.json" || fail "run: the smoke test output is not in the state file"

# explain: the vendor's rules match its real error texts.
out=$("$gpuhost" explain --json --backend "$backend" "$work/src/test/explain_log.txt")
check explain "$out" "d['matches'][0]['id'] == '${vendor}_cann_env_not_loaded'"

# doctor: the vendor's checks run on the recording.
set +e
out=$("$gpuhost" doctor --json --sysroot "$rec")
set -e
check doctor "$out" "any(f['check'] == 'vendor:$vendor/${vendor}_driver' and f['severity'] == 'info' and 'npu-smi 24.1.0' in f['summary'].replace('$backend-smi', 'npu-smi') for f in d['findings'])"
check doctor "$out" "any(f['check'] == 'vendor:$vendor/${vendor}_cann' and 'CANN toolkit 8.0.0' in f['summary'] for f in d['findings'])"

echo "vendor $vendor (backend $backend) built out of tree: listed, detected, selected, planned, run, explained, checked"
