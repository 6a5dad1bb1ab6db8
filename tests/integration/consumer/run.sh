#!/usr/bin/env bash
# Usage: run.sh PREFIX — builds and runs the consumer against xgrad installed in PREFIX.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(mktemp -d)
cmake -S "$here" -B "$build" -DCMAKE_PREFIX_PATH="$1" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
"$build/consumer"
