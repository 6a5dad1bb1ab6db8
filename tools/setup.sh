#!/usr/bin/env bash
# Installs the Debian packages xgrad needs, when any is missing; as root or
# through sudo. Called by tools/main.sh, tools/test.sh and .ci/run; extra
# package names as arguments are installed too (tools/fuzz.sh asks for
# clang and libFuzzer, tools/tsan.sh for what builds oneTBB).
set -euo pipefail

packages=(
  g++ cmake make            # toolchain
  libxtensor-dev xtl-dev libxsimd-dev   # arrays (xtensor 0.24)
  libtbb-dev                # the one thread pool (oneTBB 2021)
  libopenblas-dev           # dgemm: float64 products (float32 ones use our own kernels)
  libboost-test-dev         # Boost.Test
  libcli11-dev              # command-line flags of the tools
  zlib1g-dev                # gzip-compressed IDX files
  libzip-dev                # .npz checkpoints (zip archives of .npy)
  dataset-fashion-mnist     # the default data set
  python3-numpy             # checkpoint round trip with NumPy (tests)
  openmpi-bin libopenmpi-dev  # data-parallel training over MPI (xgrad::distributed) and its tests
  graphviz                  # `dot`: the DOT-export test parses to_dot's output
  librsvg2-bin              # rsvg-convert: the training-plot test renders training.svg
  "$@"                      # the caller's extras
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
