#!/usr/bin/env bash
# Prints the raw and gzip sizes of the built app's .wasm and .js in dist/ and fails when the
# two together exceed the budget of 350 KB gzip: every analyst downloads them.
set -euo pipefail

DIST="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/dist}"
BUDGET=$((350 * 1024))

shopt -s nullglob
files=("$DIST"/*.wasm "$DIST"/*.js)
if [ "${#files[@]}" -eq 0 ]; then
  echo "size: no .wasm or .js in $DIST; run trunk build first" >&2
  exit 1
fi

raw_total=0
gzip_total=0
for file in "${files[@]}"; do
  raw=$(wc -c <"$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  raw_total=$((raw_total + raw))
  gzip_total=$((gzip_total + gz))
  printf 'size: %-40s %9d bytes raw %9d bytes gzip\n' "$(basename "$file")" "$raw" "$gz"
done
printf 'size: %-40s %9d bytes raw %9d bytes gzip (budget %d)\n' "total" "$raw_total" "$gzip_total" "$BUDGET"
if [ "$gzip_total" -gt "$BUDGET" ]; then
  echo "size: over budget by $((gzip_total - BUDGET)) bytes gzip" >&2
  exit 1
fi
