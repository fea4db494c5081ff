// Joins bench-results/native.json and bench-results/browser.json into bench-results/bench.json
// and prints each figure the issue sets a target for, with the target and whether it is met.

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const read = (name) => JSON.parse(readFileSync(join(ROOT, 'bench-results', name), 'utf8'));
const native = read('native.json');
const browser = read('browser.json');
const near = (rows, n) => rows.reduce((best, r) => (Math.abs(r.evidence - n) < Math.abs(best.evidence - n) ? r : best), rows[0]);
const n1m = near(native, 1e6);
const b100k = near(browser.results, 1e5);
const b1m = near(browser.results, 1e6);
const gzip = browser.shipped.wasm.gzip + browser.shipped.js.gzip;

const rows = [];
const add = (what, value, unit, target, met) => rows.push({ what, value, unit, target, met });
add(`native: bare serde_json parse, ${n1m.evidence.toLocaleString('en-US')} evidence`, n1m.bare_parse_ms, 'ms', `${(n1m.evidence / n1m.bare_parse_ms / 1e3).toFixed(2)} M evidence/s`, null);
add('native: evaluate (every decision)', n1m.evaluate_ms, 'ms', `${(n1m.evidence / n1m.evaluate_ms / 1e3).toFixed(2)} M evidence/s, ${(n1m.bare_parse_ms / n1m.evaluate_ms).toFixed(1)}x the bare parse's rate`, null);
add('native: import + evaluate', n1m.import_and_evaluate_ms, 'ms', `${(100 * n1m.import_and_evaluate_vs_bare_parse).toFixed(0)}% of the bare parse's rate`, null);
for (const r of browser.results) {
  const target = r.evidence < 5e5 ? (r.evidence >= 5e4 ? 2000 : null) : 15000;
  add(`browser: load ${r.evidence.toLocaleString('en-US')} evidence until the Pending count shows`, r.load_ms, 'ms', target ? `< ${target} ms` : '', target ? r.load_ms < target : null);
  add(`browser: longest main-thread stall while loading ${r.evidence.toLocaleString('en-US')}`, r.longest_stall_ms, 'ms', '< 100 ms', r.longest_stall_ms < 100);
}
add(`browser: draft edit re-rendered, ${b100k.evidence.toLocaleString('en-US')} evidence`, b100k.draft_edit_ms, 'ms', '< 100 ms', b100k.draft_edit_ms < 100);
for (const [list, count] of [['pending', b1m.pending], ['history', b1m.history]]) {
  add(`browser: sort ${list} (${count.toLocaleString('en-US')} actions at ${b1m.evidence.toLocaleString('en-US')} evidence)`, b1m[`${list}_sort_ms`], 'ms', '< 200 ms', b1m[`${list}_sort_ms`] < 200);
  add(`browser: filter ${list} by text`, b1m[`${list}_filter_ms`], 'ms', '< 200 ms', b1m[`${list}_filter_ms`] < 200);
}
add(`browser: scrolling ${b1m.pending.toLocaleString('en-US')} pending actions, longest jump to new rows on screen`, b1m.scroll_frame_ms, 'ms', '', null);
add(`browser: WebAssembly memory per evidence item at ${b1m.evidence.toLocaleString('en-US')}`, b1m.wasm_bytes_per_evidence, 'B', '< 1024 B', b1m.wasm_bytes_per_evidence < 1024);
add('browser: loading worker memory at its peak (returned when it ends)', b1m.worker_memory_bytes / 1e6, 'MB', '', null);
add('shipped .wasm and .js, gzip', gzip / 1024, 'KB', '<= 350 KB', gzip <= 350 * 1024);

console.log('\nairview benchmark summary');
for (const r of rows) {
  const verdict = r.met === null ? '' : r.met ? 'met' : 'NOT MET';
  console.log(`${r.what.padEnd(78)} ${r.value.toFixed(r.value >= 100 ? 0 : 1).padStart(9)} ${r.unit.padEnd(3)} ${String(r.target).padEnd(44)} ${verdict}`);
}
writeFileSync(join(ROOT, 'bench-results', 'bench.json'), JSON.stringify({ summary: rows, native, browser }, null, 2));
console.log('written: bench-results/bench.json');
