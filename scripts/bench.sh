#!/usr/bin/env bash
# The benchmark command: builds the release app and the CLI, then prints airview's figures and
# writes them to bench-results/ (native.json, browser.json, and bench.json with both):
#   - native: import, evaluation, snapshot and list figures beside a bare serde_json parse of
#     the same bytes (crates/bench);
#   - in headless Chromium, served on 127.0.0.1: load time, longest main-thread stall, memory,
#     sorting, filtering, scrolling and a draft edit (scripts/bench-browser.mjs);
#   - the gzip size of the shipped .wasm and .js;
# for generated exports of 10k, 100k and 1M evidence items, or the sizes given:
#   bash scripts/bench.sh [SIZES...]        BENCH_RUNS=N sets the browser runs per size (3).
# Each figure is the median of several runs. It takes about ten minutes for the three sizes.
set -euo pipefail

# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$AIRVIEW_ROOT"

if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(10000 100000 1000000); fi

echo "bench: trunk build --release --offline"
trunk build --release --offline
echo "bench: cargo build --release -p airview-cli (the generator)"
cargo build --quiet --release -p airview-cli
echo "bench: native figures"
cargo run --quiet --profile bench-fast -p airview-bench -- "${sizes[@]}"
echo "bench: browser figures"
node scripts/bench-browser.mjs "${sizes[@]}"
node scripts/bench-report.mjs
