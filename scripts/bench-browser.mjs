// Browser benchmark: builds nothing itself (run after `trunk build --release --offline`; see
// scripts/bench.sh), serves dist/ on 127.0.0.1, drives Debian's Chromium and prints a table of
// the app's figures for generated exports of the sizes given (evidence items), each the median
// of several runs: load (file given to the page → Pending count on screen), a policy draft edit
// (select → preview re-rendered), sorting and filtering the Pending list, WebAssembly memory,
// and the longest main-thread stall while loading (PerformanceObserver, long tasks).
// Writes bench-results/browser.json.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DIST, serveStatic } from '../tests/e2e/harness.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SIZES = (process.argv.slice(2).length ? process.argv.slice(2) : ['10000', '100000']).map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EVIDENCE_PER_ALERT = 4.15;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const work = mkdtempSync(join(tmpdir(), 'airview-bench-'));
const server = await serveStatic(DIST);
const results = [];

async function fresh() {
  const profile = mkdtempSync(join(work, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
  context.setDefaultTimeout(120_000);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(() => {
    window.__longest = 0;
    window.__loading = false;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (window.__loading) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
  await page.goto(`${server.origin}/#/load`);
  await page.locator('.dataset-line').waitFor();
  return { context, page };
}

/** Milliseconds from `act()` to the next frame after `done()` resolves. */
async function timed(page, act, done) {
  const t0 = await page.evaluate(() => performance.now());
  await act();
  await done();
  return (await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))))) - t0;
}

for (const size of SIZES) {
  const file = join(work, `export-${size}.json`);
  execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'airview-cli', '--', 'generate', '--alerts', String(Math.ceil(size / EVIDENCE_PER_ALERT)), '--seed', '42', '--until', new Date().toISOString(), '--out', file], { cwd: ROOT, stdio: 'inherit' });
  const bytes = statSync(file).size;
  const row = { evidence: size, bytes, load_ms: [], draft_edit_ms: [], sort_ms: [], filter_ms: [], wasm_memory_bytes: [], longest_stall_ms: [] };
  for (let run = 0; run < RUNS; run++) {
    const { context, page } = await fresh();
    await page.evaluate(() => { window.__loading = true; window.__longest = 0; });
    row.load_ms.push(await timed(page,
      () => page.locator('input[type=file]').setInputFiles(file),
      () => page.locator('.dataset-line', { hasText: 'files ·' }).filter({ hasNotText: '(sample)' }).waitFor()));
    row.longest_stall_ms.push(await page.evaluate(() => { window.__loading = false; return window.__longest; }));
    row.wasm_memory_bytes.push(await page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? 0));

    // Sorting and filtering are measured on History, the longer list.
    await page.goto(`${server.origin}/#/history`);
    await page.locator('table.actions tbody tr:not(.pad)').first().waitFor();
    const header = page.getByRole('button', { name: /^Entity/ });
    row.sort_ms.push(await timed(page, () => header.click(), () => page.locator('th[aria-sort="ascending"]').waitFor()));
    const shown = page.locator('.filters .shown');
    const before = await shown.textContent();
    row.filter_ms.push(await timed(page, () => page.getByRole('searchbox').fill('invoice'), () => page.waitForFunction((b) => document.querySelector('.filters .shown').textContent !== b, before)));

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Policy preview' }).click();
    const level = page.getByLabel('Automation level of Ungrouped devices (default)');
    await level.waitFor();
    const heading = page.locator('h3', { hasText: 'Actions whose outcome changes' });
    for (const value of ['full', 'semi_core_folders']) {
      const was = await heading.textContent();
      row.draft_edit_ms.push(await timed(page, () => level.selectOption(value), () => page.waitForFunction((w) => document.querySelector('.preview h3')?.textContent !== w, was)));
    }
    await context.close();
  }
  const summary = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? median(v) : v]));
  summary.wasm_bytes_per_evidence = summary.wasm_memory_bytes / size;
  results.push(summary);
  rmSync(file);
}

const sizes = (() => {
  const out = {};
  for (const f of execFileSync('ls', [DIST]).toString().split('\n').filter((n) => /\.(wasm|js)$/.test(n))) {
    const raw = statSync(join(DIST, f)).size;
    const gz = Number(execFileSync('sh', ['-c', `gzip -9c '${join(DIST, f)}' | wc -c`]).toString());
    out[f.endsWith('.wasm') ? 'wasm' : 'js'] = { raw, gzip: gz };
  }
  return out;
})();

const fmt = (x) => (typeof x === 'number' ? x.toFixed(x >= 100 ? 0 : 1) : String(x));
console.log(`\nairview in headless Chromium, median of ${RUNS} runs`);
console.log(['evidence', 'MB', 'load ms', 'stall ms', 'draft edit ms', 'sort ms', 'filter ms', 'wasm MB', 'B/evidence'].map((h) => h.padStart(13)).join(''));
for (const r of results) {
  console.log([r.evidence, r.bytes / 1e6, r.load_ms, r.longest_stall_ms, r.draft_edit_ms, r.sort_ms, r.filter_ms, r.wasm_memory_bytes / 1e6, r.wasm_bytes_per_evidence].map((x) => fmt(x).padStart(13)).join(''));
}
console.log(`shipped: wasm ${sizes.wasm?.raw} B (${sizes.wasm?.gzip} B gzip), js ${sizes.js?.raw} B (${sizes.js?.gzip} B gzip)`);
mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(join(ROOT, 'bench-results', 'browser.json'), JSON.stringify({ runs: RUNS, results, shipped: sizes }, null, 2));
await server.close();
rmSync(work, { recursive: true, force: true });
