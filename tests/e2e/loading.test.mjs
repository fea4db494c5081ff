// Loading in the worker: a large export shows its progress in bytes and evidence items while the
// page stays usable (it switches tabs and scrolls), a cancelled load changes nothing, and what
// was loaded comes back after a reload, from the stored dataset or, when that cannot be read,
// from the stored exports.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withApp } from './harness.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FIXTURES = join(ROOT, 'tests', 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'airview-e2e-load-'));
// About 160 MB and 240,000 evidence items: long enough to load (a few seconds) that the test
// can act while it runs.
const BIG = join(work, 'big-export.json');

before(() => {
  // Ending an hour ago, so that this week's actions still wait.
  const until = new Date(Date.now() - 3_600_000).toISOString();
  execFileSync('cargo', ['run', '--quiet', '-p', 'airview-cli', '--', 'generate', '--alerts', '60000', '--seed', '3', '--until', until, '--out', BIG], { cwd: ROOT });
});
after(() => rmSync(work, { recursive: true, force: true }));

const nav = (page, name) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name });
const rows = (page) => page.locator('table.actions tbody tr:not(.pad)');
const count = (text) => Number(text.replace(/[^0-9]/g, ''));

test('a large export loads in the worker with its progress while the page stays usable, and cancel changes nothing', async () => {
  await withApp('loading', async ({ page, screenshot }) => {
    await page.locator('.dataset-line', { hasText: '(sample)' }).waitFor();
    const sample = await page.locator('.dataset-line').textContent();
    await nav(page, 'Load exports').click();

    // Cancelled while it imports: nothing changes, and nothing is reported as wrong.
    await page.locator('input[type=file]').setInputFiles(BIG);
    const bar = page.locator('.loading');
    await bar.getByText(/^Importing `big-export\.json`: \d+ MB of 1\d\d MB · [\d,]+ evidence items$/).waitFor();
    await bar.getByRole('button', { name: 'Cancel' }).click();
    await bar.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.dataset-line').textContent(), sample);
    assert.equal(await page.getByRole('alert').count(), 0);

    // Loaded to the end, while the analyst reads the queue: the tab opens and scrolls before
    // the load is done.
    await page.locator('input[type=file]').setInputFiles(BIG);
    await bar.getByText(/Reading|Importing/).waitFor();
    const progress = [];
    progress.push(Number(await bar.locator('progress').getAttribute('value')));
    await nav(page, 'Action center').click();
    await rows(page).first().waitFor();
    const firstRow = await rows(page).first().textContent();
    await page.locator('.viewport').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForFunction((was) => document.querySelector('table.actions tbody tr:not(.pad)')?.textContent !== was, firstRow);
    const usedAt = await page.evaluate(() => performance.now());
    await screenshot('loading');
    await bar.locator('progress').evaluate((el, was) => new Promise((ok) => {
      const check = () => (Number(el.getAttribute('value')) > was || !el.isConnected ? ok() : setTimeout(check, 20));
      check();
    }), progress[0]);
    await page.locator('.dataset-line').filter({ hasNotText: '(sample)' }).waitFor({ timeout: 60_000 });
    const loadedAt = await page.evaluate(() => performance.getEntriesByName('airview:loaded').at(-1).startTime);
    assert.ok(usedAt < loadedAt, `the page answered at ${usedAt} ms, before the load ended at ${loadedAt} ms`);

    const line = await page.locator('.dataset-line').textContent();
    assert.match(line, /^60,000 alerts · [\d,]+ evidence items · 1 files · policy: /);
    // The queue shows the loaded data, and the header counts what waits.
    const pending = count(await page.getByRole('tab', { name: /^Pending/ }).textContent());
    assert.ok(pending > 1000, `${pending} pending`);
    assert.equal(count(await page.locator('nav .count').textContent()), pending);
  });
});

test('loaded files come back after a reload: from the stored dataset, else from the stored exports', async () => {
  await withApp('reload', async ({ page }) => {
    await page.locator('.dataset-line', { hasText: '(sample)' }).waitFor();
    await nav(page, 'Load exports').click();
    const files = ['graph-page1.json', 'mde-alerts.json'].map((name) => ({ name, mimeType: 'application/json', buffer: readFileSync(join(FIXTURES, name)) }));
    await page.locator('input[type=file]').setInputFiles(files);
    const loaded = page.locator('.dataset-line').filter({ hasNotText: '(sample)' });
    await loaded.waitFor();
    const line = await loaded.textContent();
    await page.locator('[data-save-state="saved"]').waitFor();

    await page.reload();
    await page.locator('.dataset-line').filter({ hasText: line }).waitFor();
    assert.equal(await page.getByText('could not be reopened').count(), 0);
    assert.deepEqual(await page.locator('.loader tbody td:first-child').allTextContents(), ['graph-page1.json', 'mde-alerts.json']);

    // A stored dataset that does not read is set aside: the exports are read again.
    await page.evaluate(() => new Promise((ok, fail) => {
      const open = indexedDB.open('airview');
      open.onerror = () => fail(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('state', 'readwrite');
        tx.objectStore('state').put(new Blob(['not a snapshot']), 'snapshot');
        tx.oncomplete = () => { open.result.close(); ok(); };
        tx.onerror = () => fail(tx.error);
      };
    }));
    await page.reload();
    await page.getByText(/the saved data could not be reopened \(.*not an airview snapshot.*\); airview reads the saved exports again/).waitFor();
    await page.locator('.dataset-line').filter({ hasText: line }).waitFor();
  });
});

test('an export saved as UTF-16, or with a byte that is not UTF-8, still loads and says so', async () => {
  await withApp('encodings', async ({ page }) => {
    await page.locator('.dataset-line', { hasText: '(sample)' }).waitFor();
    await nav(page, 'Load exports').click();
    const text = readFileSync(join(FIXTURES, 'graph-page1.json'), 'utf8');
    // UTF-16 little-endian with its byte order mark, as some Windows tools save.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    // A stray byte in the title on line 9: the title's text is kept, the byte replaced.
    const bad = Buffer.from(text.replace('Malicious file dropped', 'Malicious file \u0000dropped'), 'utf8');
    bad[bad.indexOf(0)] = 0xff;
    await page.locator('input[type=file]').setInputFiles([
      { name: 'utf16.json', mimeType: 'application/json', buffer: utf16 },
      { name: 'stray-byte.json', mimeType: 'application/json', buffer: bad },
    ]);
    const loaded = page.locator('.loader tbody tr');
    await loaded.filter({ hasText: 'utf16.json' }).filter({ hasText: 'Microsoft Graph security API export' }).waitFor();
    await page.getByText(/`stray-byte\.json`: bytes that are not UTF-8 text were replaced by `\uFFFD`, the first at line 9, column 32/).waitFor();
    // The second file repeats the first one's alerts: loaded already, and skipped.
    await page.getByText(/`stray-byte\.json`: 2 alert\(s\) were loaded already and are skipped/).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
  });
});
