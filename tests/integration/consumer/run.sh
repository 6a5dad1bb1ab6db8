#!/usr/bin/env bash
# Usage: run.sh PREFIX — builds the consumer and the example models against
# xgrad installed in PREFIX, runs the consumer, and each example for a few steps.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(mktemp -d)
cmake -S "$here" -B "$build" -DCMAKE_PREFIX_PATH="$1" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
"$build/consumer"
"$build/char_lm" --steps 4 --batch 4 --bptt 16 --hidden 32 --log-every 2 --sample-length 20 | tail -1
"$build/transformer" --steps 10 --batch 16 --dim 16 --test-size 50 --log-every 5 | tail -1
"$build/autoencoder" --max-steps 5 --batch 16 --train-limit 500 --test-limit 50 --log-every 5 \
  --png "$build/autoencoder.png" | tail -1
