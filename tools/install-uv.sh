#!/usr/bin/env bash
# Installs uv (the fast pip replacement `gpuhost run` prefers) from PyPI into its
# own virtual environment and links it into a bin folder. Idempotent.
#   tools/install-uv.sh [PREFIX]   default PREFIX: ~/.local/share/gpuhost/tools/uv, link in ~/.local/bin
set -euo pipefail
prefix=${1:-${XDG_DATA_HOME:-$HOME/.local/share}/gpuhost/tools/uv}
bindir=${UV_LINK_DIR:-$HOME/.local/bin}
if [ -x "$prefix/bin/uv" ]; then
  echo "install-uv: $("$prefix/bin/uv" --version) at $prefix/bin/uv"
else
  python3 -m venv "$prefix"
  "$prefix/bin/python" -m pip install --quiet --disable-pip-version-check uv
  echo "install-uv: installed $("$prefix/bin/uv" --version) at $prefix/bin/uv"
fi
if [ -z "${1:-}" ]; then
  mkdir -p "$bindir"
  ln -sf "$prefix/bin/uv" "$bindir/uv"
  echo "install-uv: linked $bindir/uv (put $bindir on PATH)"
fi
