#!/usr/bin/env bash
# The README's main job: installs what is missing, builds, and trains the
# default model on Fashion-MNIST; arguments go to xgrad-train
# (e.g. tools/main.sh --epochs 1 --model mlp).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh
exec build/tools/xgrad-train --out runs/default "$@"
