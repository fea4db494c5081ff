#!/usr/bin/env bash
# Installs what building and testing airview needs, and only what is missing:
# the wasm32 target, trunk, the wasm-bindgen CLI of Cargo.lock's version, Chromium and
# chromedriver, the npm packages of package-lock.json (wasm-opt from binaryen, playwright-core),
# and the Python environment `.venv-kql` with duckdb-kql, for the differential test of hunting.
# Every check compares versions, so a second run takes seconds.
# scripts/serve.sh and scripts/test.sh source this file so that the PATH it sets carries over;
# `bash scripts/setup.sh` on its own installs and checks the same things.
set -euo pipefail

AIRVIEW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# duckdb-kql runs KQL on DuckDB; the hunting engine's queries are checked against it.
DUCKDB_KQL_VERSION="1.1.2"
DUCKDB_VERSION="2.0.1"

say() { printf 'setup: %s\n' "$*"; }

# Runs a command as root, through sudo when we are not root already.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Prints the version of `name` that Cargo.lock pins, or nothing if it pins none.
locked_version() {
  awk -v name="$1" '
    $0 == "name = \"" name "\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' "$AIRVIEW_ROOT/Cargo.lock"
}

# Prints the first line of `cmd --version`, or nothing when the command is missing or fails.
version_of() {
  if command -v "$1" >/dev/null 2>&1; then
    "$1" --version 2>/dev/null | head -n 1 || true
  fi
}

apt_install() {
  # Update the package lists only when they are missing or the install fails without them.
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    say "apt-get update (no package lists yet)"
    as_root apt-get update -qq
  fi
  say "apt-get install $*"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; then
    say "apt-get update, then retry"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  fi
}

export PATH="$AIRVIEW_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk must never try to download tools or check for updates: only the package registries are reachable.
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=/usr/bin/chromedriver

# The wasm32 target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
else
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# Trunk. Without LTO and with 16 codegen units it builds in half the time, and works the same.
if [ "$(version_of trunk)" = "trunk $TRUNK_VERSION" ]; then
  say "trunk $TRUNK_VERSION present"
else
  say "cargo install trunk $TRUNK_VERSION (about 5 minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked trunk --version "$TRUNK_VERSION" --no-default-features --features rustls
fi

# The wasm-bindgen CLI must match the wasm-bindgen crate exactly, or Trunk refuses the build.
WASM_BINDGEN_VERSION="$(locked_version wasm-bindgen)"
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  say "Cargo.lock names no wasm-bindgen version" >&2
  exit 1
fi
if [ "$(version_of wasm-bindgen)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] &&
  [ "$(version_of wasm-bindgen-test-runner)" = "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" ]; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION present"
else
  # Not --locked: its lock file names a webpki-roots version the registry no longer serves.
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# Chromium and its driver, for the browser tests. Node and npm come with the machine; install them if not.
missing_debs=()
command -v chromium >/dev/null 2>&1 || missing_debs+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing_debs+=(chromium-driver)
command -v node >/dev/null 2>&1 || missing_debs+=(nodejs)
command -v npm >/dev/null 2>&1 || missing_debs+=(npm)
command -v python3 >/dev/null 2>&1 || missing_debs+=(python3)
# Debian splits `python3 -m venv` (which needs ensurepip) into its own package.
python3 -c 'import ensurepip' >/dev/null 2>&1 || missing_debs+=(python3-venv)
if [ "${#missing_debs[@]}" -eq 0 ]; then
  say "chromium, chromedriver, node, npm, python3 present"
else
  apt_install "${missing_debs[@]}"
fi

# npm packages, reinstalled whenever package-lock.json changed since the last install.
lock_stamp="$AIRVIEW_ROOT/node_modules/.airview-lock.sha256"
lock_sum="$(sha256sum "$AIRVIEW_ROOT/package-lock.json" | cut -d' ' -f1)"
if [ -f "$lock_stamp" ] && [ "$(cat "$lock_stamp")" = "$lock_sum" ]; then
  say "npm packages present (binaryen, playwright-core)"
else
  say "npm ci (binaryen for wasm-opt, playwright-core)"
  (cd "$AIRVIEW_ROOT" && npm ci --no-audit --no-fund)
  printf '%s\n' "$lock_sum" >"$lock_stamp"
fi
if [ "$(version_of wasm-opt)" != "wasm-opt version 132 (version_132)" ]; then
  say "wasm-opt on PATH is not npm's binaryen 132: $(command -v wasm-opt || echo none)" >&2
  exit 1
fi

# The Python environment of the differential test, remade when its versions are not the pinned ones.
KQL_VENV="$AIRVIEW_ROOT/.venv-kql"
kql_versions() {
  "$KQL_VENV/bin/python" -c 'import duckdb, duckdb_kql; print(duckdb_kql.__version__, duckdb.__version__)' 2>/dev/null || true
}
if [ "$(kql_versions)" = "$DUCKDB_KQL_VERSION $DUCKDB_VERSION" ]; then
  say "duckdb-kql $DUCKDB_KQL_VERSION and duckdb $DUCKDB_VERSION present in .venv-kql"
else
  say "python3 -m venv .venv-kql; pip install duckdb-kql==$DUCKDB_KQL_VERSION duckdb==$DUCKDB_VERSION (under a minute)"
  rm -rf "$KQL_VENV"
  python3 -m venv "$KQL_VENV"
  "$KQL_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "duckdb-kql==$DUCKDB_KQL_VERSION" "duckdb==$DUCKDB_VERSION"
  if [ "$(kql_versions)" != "$DUCKDB_KQL_VERSION $DUCKDB_VERSION" ]; then
    say "the .venv-kql environment does not hold duckdb-kql $DUCKDB_KQL_VERSION and duckdb $DUCKDB_VERSION" >&2
    exit 1
  fi
fi

# Trunk builds with --offline, which passes --offline to cargo: download the crates first.
say "cargo fetch"
(cd "$AIRVIEW_ROOT" && cargo fetch --quiet)
say "ready"
