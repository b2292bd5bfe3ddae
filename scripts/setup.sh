#!/usr/bin/env bash
# Installs every Debian package that the build, the tests, the benchmarks and the main job need.
# Idempotent: packages already present are skipped by apt-get, and the npm oracle is cached.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libdnnl-dev libomp-dev            # kernels: oneDNN 2.6 + the one OpenMP runtime
  libgtest-dev libgmock-dev         # unit tests
  nlohmann-json3-dev                # golden fixtures, configs
  libcairo2-dev                     # plots (PNG / SVG)
  zlib1g-dev                        # gzip'ed IDX files
  libhdf5-dev libzip-dev            # Keras .h5 / .keras model files
  libjpeg-dev libpng-dev            # image decoding
  dataset-fashion-mnist             # the main job's data
)
# `scripts/setup.sh --bench` adds the benchmarks' peers (bench/run calls it).
if [ "${1:-}" = "--bench" ]; then
  PACKAGES+=(python3-torch python3-numpy python3-keras-preprocessing python3-scipy python3-pil)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "[setup] installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "[setup] all Debian packages present"
fi
