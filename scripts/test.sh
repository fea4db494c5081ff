#!/usr/bin/env bash
# Runs every check and test of airview, installing what is missing first (see scripts/setup.sh):
# formatting, clippy (native and wasm32), native tests, the hunting engine against duckdb-kql,
# wasm tests in headless Chromium, the release build, its size budget, and end-to-end tests of
# that build in Chromium.
# Stops at the first failure. The last line is always `N passed, N failed`, summing the tests run.
set -euo pipefail

# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$AIRVIEW_ROOT"

WASM=wasm32-unknown-unknown
LOG_DIR="$(mktemp -d)"
trap 'rm -rf "$LOG_DIR"' EXIT
passed=0
failed=0
steps=0

# Adds the counts from the summary lines of cargo test, wasm-bindgen-test-runner and node --test.
count_tests() {
  local p f
  read -r p f < <(awk '
    /^test result: / {
      for (i = 1; i <= NF; i++) {
        if ($(i + 1) ~ /^passed;?$/) p += $i
        if ($(i + 1) ~ /^failed;?$/) f += $i
      }
    }
    /^(# |ℹ )pass [0-9]+$/ { p += $NF }
    /^(# |ℹ )fail [0-9]+$/ { f += $NF }
    END { print p + 0, f + 0 }
  ' "$1")
  passed=$((passed + p))
  failed=$((failed + f))
  COUNTED_FAILED=$f
}

# Prints the runner's closing lines again so that they are easy to find in a long log.
print_summary() {
  grep -E '^test result: |^(# |ℹ )(tests|pass|fail) [0-9]+$|^size: total' "$1" |
    grep -v ' 0 passed; 0 failed;' | sed 's/^/    /' || true
}

# step NAME COMMAND...: runs COMMAND, shows its output, then its summary; stops everything on failure.
step() {
  local name="$1"
  shift
  steps=$((steps + 1))
  local log="$LOG_DIR/$steps.log"
  echo
  echo "==> $name: $*"
  local status=0
  "$@" 2>&1 | tee "$log" || status=$?
  count_tests "$log"
  if [ "$status" -ne 0 ]; then
    # A check that is not a test runner (fmt, clippy, build) counts as one failure.
    [ "$COUNTED_FAILED" -gt 0 ] || failed=$((failed + 1))
    echo
    echo "FAILED: $name (exit $status); the output above says why. Command: $*"
    print_summary "$log"
    echo "$passed passed, $failed failed"
    exit 1
  fi
  echo "--- $name: ok"
  print_summary "$log"
}

step "format" cargo fmt --all --check
step "clippy, native" cargo clippy --workspace --all-targets -- -D warnings
step "clippy, wasm32" cargo clippy --target "$WASM" -p airview-engine -p airview-import -p airview-app -p airview-wasm-tests -p airview-web --all-targets -- -D warnings
# The web crate is built for the browser only; its tests run below in Chromium.
step "tests, native" cargo test --workspace --exclude airview-web
# The KQL corpus through the engine and through duckdb-kql, rows compared (crates/engine/tests/hunt_differential.rs).
step "hunting queries against duckdb-kql" env AIRVIEW_KQL_PYTHON="$AIRVIEW_ROOT/.venv-kql/bin/python" cargo test -p airview-engine --test hunt_differential
step "build engine and importer, wasm32" cargo build --target "$WASM" -p airview-engine -p airview-import
# The engine's shared cases as WebAssembly, in Node (crates/wasm-tests).
step "engine tests, wasm32 in Node" cargo test --target "$WASM" -p airview-wasm-tests
step "tests of the web crate, headless Chromium" cargo test --target "$WASM" -p airview-web
step "release build" trunk build --release --offline
step "size report" bash scripts/size-report.sh dist
step "end-to-end tests, Chromium" node --test --test-reporter=spec tests/e2e/

echo
echo "All $steps steps passed."
echo "$passed passed, $failed failed"
