#!/usr/bin/env bash
# Regenerates tests/golden/{training/*.json,losses.json,metrics.json}.
# Needs: node >= 18 + npm (TF.js 4.22.0 from package-lock.json) and Debian's /usr/bin/python3 with
# python3-torch (1.13) and python3-numpy.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/@tensorflow/tfjs ]; then npm ci --no-audit --no-fund; fi
/usr/bin/python3 keras_formulas.py cases        # -> out/cases.json (inputs of every case)
node tfjs_oracle.js                             # -> out/tfjs_results.json
/usr/bin/python3 keras_formulas.py fixtures     # -> ../../tests/golden/...
du -cb ../../tests/golden/training/*.json ../../tests/golden/losses.json ../../tests/golden/metrics.json | tail -1
