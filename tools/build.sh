#!/usr/bin/env bash
# Configures and builds xgrad (Release) into ${BUILD_DIR:-build}.
# Extra arguments go to the CMake configure step. Uses ccache when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
