#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, train Fashion-MNIST.
# Extra arguments go to `tfcert train fashion-mnist` (e.g. --epochs 10).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tfcert
exec build/release/apps/tfcert train fashion-mnist "$@"
