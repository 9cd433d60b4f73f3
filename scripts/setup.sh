#!/usr/bin/env bash
# Brings a fresh Debian 12 machine to a built mnistbench: installs the Debian
# packages that are missing, fetches the real MNIST once (scripts/fetch_mnist.sh),
# and builds into build/ (Release). Safe to run again: each step is skipped
# when already done. Extra arguments go to CMake's configure step.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

packages=(
  g++ cmake make git pkg-config
  libeigen3-dev libopenblas-dev libtbb-dev zlib1g-dev
  libdnnl-dev libblis-dev libblis-pthread-dev libxsmm-dev
  # Debian's oneDNN is built with its OpenCL GPU runtime: its CMake config
  # looks for OpenCL's library and headers, which libdnnl-dev does not pull in.
  ocl-icd-opencl-dev opencl-c-headers
  libbenchmark-dev libbenchmark-tools libgtest-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
  libopenmpi-dev openmpi-bin
  dataset-fashion-mnist
)
command -v npm >/dev/null || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

scripts/fetch_mnist.sh

# Every backend the README promises is built, or the configure step fails.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMNISTBENCH_REQUIRE_BACKENDS=ON "$@" >/dev/null
cmake --build build -j"$(nproc)"
echo "setup: built build/cli/mnistbench"
