#!/usr/bin/env bash
# Builds the app in release mode and serves it at http://127.0.0.1:8080 (PORT=... to change).
# Installs whatever is missing first (see scripts/setup.sh). Stop it with Ctrl-C.
set -euo pipefail

# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$AIRVIEW_ROOT"

PORT="${PORT:-8080}"
echo "serve: trunk build --release --offline"
trunk build --release --offline
echo "serve: airview is at http://127.0.0.1:$PORT/ (Ctrl-C stops the server)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
