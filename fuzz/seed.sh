#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the test fixtures and a generated export.
# Usage: fuzz/seed.sh (from anywhere); then
#   RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET -- -max_total_time=600   (in fuzz/)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
fixtures="$root/tests/fixtures"
corpus="$here/corpus"
seed() { # seed TARGET FILE...
    mkdir -p "$corpus/$1"
    local t="$1"; shift
    for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus/$t/"; done
    return 0
}
generated="$corpus/generated-graph.json"
mkdir -p "$corpus"
(cd "$root" && cargo run -q -p airview-cli -- generate --alerts 5 --seed 1 --out "$generated")
seed graph "$fixtures"/graph-*.json "$generated"
seed mde "$fixtures"/mde-*.json
seed csv "$fixtures"/*.csv
seed policy "$fixtures"/policy-*.json
seed journal "$fixtures"/*.jsonl
seed airview_file "$fixtures"/*.airview.json
rm -f "$generated"
