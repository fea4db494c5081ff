// Every export format loads in the app: each fixture is given through the file picker, the
// loader names the format it detected, and what the files report shows up in the center.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withApp } from './harness.mjs';

const FIXTURES = join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'tests', 'fixtures');
const FILES = {
  'graph-page1.json': 'Microsoft Graph security API export',
  'graph-incidents.json': 'Microsoft Graph security API export',
  'mde-alerts.json': 'Defender for Endpoint alerts with evidence',
  'mde-investigations.json': 'Defender for Endpoint investigations',
  'mde-machineactions.json': 'Defender for Endpoint machine actions',
  'action-center-history.csv': 'Action center history (CSV)',
  'AirActions.csv': 'Office 365 AirActions.csv',
  'AirLogs.csv': 'Office 365 AirLogs.csv',
  'session.airview.json': 'airview file',
};

test('each format loads in the app and is recognised', async () => {
  await withApp('formats', async ({ page, screenshot }) => {
    await page.locator('.dataset-line').waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Load exports' }).click();
    const files = Object.keys(FILES).map((name) => ({ name, mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/json', buffer: readFileSync(join(FIXTURES, name)) }));
    await page.locator('input[type=file]').setInputFiles(files);
    for (const [name, format] of Object.entries(FILES)) {
      const row = page.locator('table.actions tbody tr', { has: page.getByRole('cell', { name, exact: true }) });
      await row.waitFor();
      assert.equal(await row.locator('td').nth(1).textContent(), format, name);
    }
    await screenshot('formats');
    // Machine actions and CSV rows are history as the portal saw it.
    await page.goto(page.url().replace(/#.*$/, '') + '#/history');
    await page.getByRole('searchbox').fill('reported/');
    await page.locator('table.actions tbody tr:not(.pad)').first().waitFor();
    assert.ok((await page.locator('table.actions tbody tr:not(.pad)').count()) >= 2);
  });
});

test('the app exports everything as an airview file that the CLI reads back', async () => {
  await withApp('airview-file', async ({ page }) => {
    await page.locator('table.actions tbody tr').first().waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Everything (airview file)' }).click()]);
    const path = await download.path();
    const file = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(file.airview, 1);
    assert.ok(file.data.evidence.length > 100);
    const { execFileSync } = await import('node:child_process');
    const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
    const out = JSON.parse(execFileSync('cargo', ['run', '--quiet', '-p', 'airview-cli', '--', 'evaluate', '--policy', join(root, 'web/sample/policy.json'), path], { cwd: root, maxBuffer: 1 << 28 }).toString());
    assert.equal(out.summary.evidence, file.data.evidence.length);
  });
});
