#!/usr/bin/env bash
# Runs a command and passes only when it exits with the expected code and its
# output (stdout and stderr together) matches an extended regular
# expression. A crash exits with 128 + the signal, so it never passes.
# Usage: expect_exit.sh CODE REGEX COMMAND [ARGS...]
set -u
code=$1 regex=$2
shift 2
out=$("$@" 2>&1)
got=$?
printf '%s\n' "$out"
if [ "$got" -ne "$code" ]; then
  echo "expect_exit: exit code $got, expected $code" >&2
  exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then
  echo "expect_exit: output does not match: $regex" >&2
  exit 1
fi
