// Browser benchmark (run by scripts/bench.sh, which builds the release app first): serves dist/
// on 127.0.0.1, drives Debian's Chromium and measures, for generated exports of the sizes given
// (evidence items), each figure the median of several runs:
// - load: from the file being given to the page to the Pending count on screen;
// - the longest main-thread stall while loading (PerformanceObserver, long tasks);
// - the WebAssembly memory of the page, and of the loading worker at its peak;
// - sorting (by entity) and filtering (by text) the Pending list and the History list;
// - scrolling the Pending list: the longest time from a jump to the frame showing its rows;
// - a policy draft edit (level changed → preview re-rendered).
// Writes bench-results/browser.json. `node scripts/bench-browser.mjs [SIZES...]`.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DIST, serveStatic } from '../tests/e2e/harness.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SIZES = (process.argv.slice(2).length ? process.argv.slice(2) : ['10000', '100000', '1000000']).map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// The generator's average: a little over four evidence items per alert.
const EVIDENCE_PER_ALERT = 3.93;
const CLI = join(ROOT, 'target', 'release', 'airview');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!existsSync(join(DIST, 'index.html'))) {
  console.error('bench: no dist/index.html; run `bash scripts/bench.sh` (or `trunk build --release --offline`) first');
  process.exit(2);
}
if (!existsSync(CLI)) execFileSync('cargo', ['build', '--quiet', '--release', '-p', 'airview-cli'], { cwd: ROOT, stdio: 'inherit' });

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
  context.setDefaultTimeout(180_000);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`bench: page error: ${e.message}`));
  await page.addInitScript(() => {
    window.__longest = 0;
    window.__loading = false;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (window.__loading) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
  await page.goto(`${server.origin}/#/load`);
  await page.locator('.dataset-line', { hasText: '(sample)' }).waitFor();
  return { context, page };
}

const frame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));

/** Milliseconds from `act()` to the next frame after `done()` resolves. */
async function timed(page, act, done) {
  const t0 = await page.evaluate(() => performance.now());
  await act();
  await done();
  return (await frame(page)) - t0;
}

/** Fails at once, with the page's words, when the app shows an error instead of loading. */
async function loadedOrError(page) {
  const loaded = page.locator('.dataset-line', { hasText: 'files ·' }).filter({ hasNotText: '(sample)' });
  const error = page.locator('.notice.error');
  await Promise.race([loaded.waitFor(), error.first().waitFor().then(async () => { throw new Error(`the app refused the file: ${await error.first().textContent()}`); })]);
  await page.locator('nav .count').waitFor();
}

// Interactions are timed inside the page, from the event to the first frame after the screen
// shows its effect, so that the driver's own round trips (tens of milliseconds) are not counted.
// Each function below runs in the page; they wait on DOM mutations rather than polling.
const IN_PAGE = {
  /** Clicks the sort button of a column; done when its header says it sorts ascending. */
  sort: async (label) => {
    const button = [...document.querySelectorAll('th button.sort')].find((b) => b.textContent.startsWith(label));
    const th = button.closest('th');
    const done = () => th.getAttribute('aria-sort') === 'ascending';
    const t0 = performance.now();
    button.click();
    await new Promise((ok, fail) => { if (done()) return ok(); const o = new MutationObserver(() => { if (done()) { o.disconnect(); ok(); } }); o.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true }); setTimeout(() => { o.disconnect(); fail(new Error('the page did not answer within 30 s')); }, 30_000); });
    await new Promise(requestAnimationFrame);
    return performance.now() - t0;
  },
  /** Types a search; done when the count of shown rows changes. */
  filter: async (text) => {
    const input = document.querySelector('input[type=search]');
    const shown = document.querySelector('.filters .shown');
    const before = shown.textContent;
    const done = () => shown.textContent !== before;
    const t0 = performance.now();
    input.value = text;
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await new Promise((ok, fail) => { if (done()) return ok(); const o = new MutationObserver(() => { if (done()) { o.disconnect(); ok(); } }); o.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true }); setTimeout(() => { o.disconnect(); fail(new Error('the page did not answer within 30 s')); }, 30_000); });
    await new Promise(requestAnimationFrame);
    return performance.now() - t0;
  },
  /** Chooses a level for the default group in the draft; done when the preview's heading changes. */
  draft: async (value) => {
    const select = document.querySelector('select[aria-label="Automation level of Ungrouped devices (default)"]');
    const heading = () => document.querySelector('.preview h3')?.textContent;
    const before = heading();
    const done = () => heading() !== before;
    const t0 = performance.now();
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((ok, fail) => { if (done()) return ok(); const o = new MutationObserver(() => { if (done()) { o.disconnect(); ok(); } }); o.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true }); setTimeout(() => { o.disconnect(); fail(new Error('the page did not answer within 30 s')); }, 30_000); });
    await new Promise(requestAnimationFrame);
    return performance.now() - t0;
  },
};

/** Sorting by entity and filtering by text, on one tab. */
/** Opens a tab and waits for its own rows (the tab before it may still be on screen). */
async function openTab(page, tab) {
  await page.goto(`${server.origin}/#/${tab}`);
  const label = tab === 'pending' ? 'Pending actions' : 'Action history';
  await page.locator(`.viewport[aria-label="${label}"] table.actions tbody tr:not(.pad)`).first().waitFor();
}

async function sortAndFilter(page, tab) {
  await openTab(page, tab);
  const rows = Number(((await page.locator('.filters .shown').textContent()) ?? '').replace(/[^0-9]/g, ''));
  const sort = await page.evaluate(IN_PAGE.sort, 'Entity');
  const filter = await page.evaluate(IN_PAGE.filter, 'invoice');
  return { sort, filter, rows };
}

/**
 * The longest time, over twenty jumps down the Pending list, from setting the scroll position
 * to the first frame that shows the new rows.
 */
async function scrolling(page) {
  await openTab(page, 'pending');
  return page.evaluate(async () => {
    const viewport = document.querySelector('.viewport');
    const body = viewport.querySelector('tbody');
    await new Promise(requestAnimationFrame);
    let longest = 0;
    for (let i = 1; i <= 20; i++) {
      const changed = new Promise((ok, fail) => {
        const o = new MutationObserver(() => { o.disconnect(); ok(); });
        o.observe(body, { subtree: true, childList: true, characterData: true, attributes: true });
        setTimeout(() => { o.disconnect(); fail(new Error(`the list did not scroll to position ${i} of 20 within 30 s`)); }, 30_000);
      });
      const t0 = performance.now();
      viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) * i / 20;
      await changed;
      await new Promise(requestAnimationFrame);
      longest = Math.max(longest, performance.now() - t0);
    }
    return longest;
  });
}

for (const size of SIZES) {
  const file = join(work, `export-${size}.json`);
  const until = new Date(Date.now() - 3_600_000).toISOString();
  execFileSync(CLI, ['generate', '--alerts', String(Math.ceil(size / EVIDENCE_PER_ALERT)), '--seed', '42', '--until', until, '--out', file], { stdio: 'inherit' });
  const bytes = statSync(file).size;
  const row = { evidence: 0, bytes, pending: 0, history: 0, load_ms: [], longest_stall_ms: [], wasm_memory_bytes: [], worker_memory_bytes: [], pending_sort_ms: [], pending_filter_ms: [], history_sort_ms: [], history_filter_ms: [], scroll_frame_ms: [], draft_edit_ms: [] };
  for (let run = 0; run < RUNS; run++) {
    const { context, page } = await fresh();
    await page.evaluate(() => { window.__loading = true; window.__longest = 0; });
    row.load_ms.push(await timed(page, () => page.locator('input[type=file]').setInputFiles(file), () => loadedOrError(page)));
    row.longest_stall_ms.push(await page.evaluate(() => { window.__loading = false; return window.__longest; }));
    row.wasm_memory_bytes.push(await page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? 0));
    row.worker_memory_bytes.push(await page.evaluate(() => performance.getEntriesByName('airview:loaded').at(-1)?.detail ?? 0));
    row.evidence = Number((await page.locator('.dataset-line').textContent()).match(/([\d,]+) evidence/)[1].replaceAll(',', ''));
    console.log(`bench: ${size} evidence, run ${run + 1} of ${RUNS}: loaded in ${Math.round(row.load_ms.at(-1))} ms, longest stall ${Math.round(row.longest_stall_ms.at(-1))} ms`);

    const pending = await sortAndFilter(page, 'pending');
    row.pending = pending.rows;
    row.pending_sort_ms.push(pending.sort);
    row.pending_filter_ms.push(pending.filter);
    const history = await sortAndFilter(page, 'history');
    row.history = history.rows;
    row.history_sort_ms.push(history.sort);
    row.history_filter_ms.push(history.filter);
    row.scroll_frame_ms.push(await scrolling(page));

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Policy preview' }).click();
    const level = page.getByLabel('Automation level of Ungrouped devices (default)');
    await level.waitFor();
    const heading = page.locator('h3', { hasText: 'Actions whose outcome changes' });
    await heading.waitFor();
    for (const value of ['full', 'semi_core_folders']) {
      row.draft_edit_ms.push(await page.evaluate(IN_PAGE.draft, value));
    }
    await context.close();
  }
  const summary = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? median(v) : v]));
  summary.wasm_bytes_per_evidence = summary.wasm_memory_bytes / summary.evidence;
  results.push(summary);
  rmSync(file);
}

const shipped = { wasm: { raw: 0, gzip: 0 }, js: { raw: 0, gzip: 0 } };
for (const f of readdirSync(DIST).filter((n) => /\.(wasm|js)$/.test(n))) {
  const kind = f.endsWith('.wasm') ? 'wasm' : 'js';
  shipped[kind].raw += statSync(join(DIST, f)).size;
  shipped[kind].gzip += Number(execFileSync('sh', ['-c', `gzip -9c '${join(DIST, f)}' | wc -c`]).toString());
}

const fmt = (x) => (typeof x === 'number' ? (Number.isInteger(x) || x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)) : String(x));
const columns = [
  ['evidence', (r) => r.evidence], ['MB', (r) => r.bytes / 1e6], ['load ms', (r) => r.load_ms], ['stall ms', (r) => r.longest_stall_ms],
  ['pending', (r) => r.pending], ['sort ms', (r) => r.pending_sort_ms], ['filter ms', (r) => r.pending_filter_ms],
  ['history', (r) => r.history], ['sort ms', (r) => r.history_sort_ms], ['filter ms', (r) => r.history_filter_ms],
  ['scroll ms', (r) => r.scroll_frame_ms], ['draft ms', (r) => r.draft_edit_ms], ['wasm MB', (r) => r.wasm_memory_bytes / 1e6],
  ['B/evidence', (r) => r.wasm_bytes_per_evidence], ['worker MB', (r) => r.worker_memory_bytes / 1e6],
];
console.log(`\nairview in headless Chromium, median of ${RUNS} runs`);
console.log(columns.map(([h]) => h.padStart(11)).join(''));
for (const r of results) console.log(columns.map(([, f]) => fmt(f(r)).padStart(11)).join(''));
console.log(`shipped: wasm ${shipped.wasm.raw} B (${shipped.wasm.gzip} B gzip), js ${shipped.js.raw} B (${shipped.js.gzip} B gzip), together ${shipped.wasm.gzip + shipped.js.gzip} B gzip`);
mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(join(ROOT, 'bench-results', 'browser.json'), JSON.stringify({ runs: RUNS, results, shipped }, null, 2));
await server.close();
rmSync(work, { recursive: true, force: true });
