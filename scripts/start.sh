#!/usr/bin/env bash
# npm start: installs what is missing, builds, and serves the demo shop in
# www/ at http://127.0.0.1:${PORT:-8080} (the stand-in Convertro tag by default).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node www/server.mjs
