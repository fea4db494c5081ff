#!/usr/bin/env python3
"""Trunk post-build hook: allow Trunk's inline loader script in the Content-Security-Policy.

Trunk writes index.html into $TRUNK_STAGING_DIR with an inline <script type="module"> that
imports the wasm-bindgen glue. Rather than weaken the policy with 'unsafe-inline', this hook
replaces the placeholder source 'inline-script-hashes' in index.html's CSP with the sha256 of
every inline script, exactly as the browser will hash it.
"""

import base64
import hashlib
import os
import re
import sys

PLACEHOLDER = "'inline-script-hashes'"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("csp-hash: TRUNK_STAGING_DIR is not set; run me as a Trunk hook", file=sys.stderr)
        return 1
    path = os.path.join(staging, "index.html")
    with open(path, encoding="utf-8") as f:
        html = f.read()

    if PLACEHOLDER not in html:
        print(f"csp-hash: no {PLACEHOLDER} placeholder in {path}", file=sys.stderr)
        return 1
    scripts = INLINE_SCRIPT.findall(html)
    if not scripts:
        print(f"csp-hash: no inline script in {path}", file=sys.stderr)
        return 1

    hashes = []
    for body in scripts:
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    html = html.replace(PLACEHOLDER, " ".join(hashes))
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    print(f"csp-hash: allowed {len(hashes)} inline script(s): {' '.join(hashes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
