#!/usr/bin/env bash
# Installs what is missing, then configures and builds gpuhost in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
