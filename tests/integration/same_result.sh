#!/usr/bin/env bash
# Runs an example with --threads 1 and with --threads 2 and passes when both
# print the same RESULT line (a fixed seed reproduces a run bit for bit, for
# any thread count). Usage: same_result.sh COMMAND [ARGS...]
set -u
one=$("$@" --threads 1 2>&1 | grep '^RESULT ') || { echo "same_result: no RESULT line (1 thread)" >&2; exit 1; }
two=$("$@" --threads 2 2>&1 | grep '^RESULT ') || { echo "same_result: no RESULT line (2 threads)" >&2; exit 1; }
printf '1 thread:  %s\n2 threads: %s\n' "$one" "$two"
[ "$one" = "$two" ] || { echo "same_result: the runs differ" >&2; exit 1; }
