#!/usr/bin/env bash
# The test suite on a fresh machine: install dependencies, build, run every test with CTest.
#   scripts/test.sh          release build
#   scripts/test.sh --asan   the same suite under AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
preset=release
[ "${1:-}" = "--asan" ] && preset=asan
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"
