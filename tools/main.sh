#!/usr/bin/env bash
# The README's main job: installs what is missing, builds, and trains the
# default model on Fashion-MNIST (arguments go to xgrad-train).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh
if [ -x build/tools/xgrad-train ]; then
  exec build/tools/xgrad-train --out runs/default "$@"
fi
# Until the training tool exists the main job is the gradient check of every op.
exec build/tools/xgrad-gradcheck "$@"
