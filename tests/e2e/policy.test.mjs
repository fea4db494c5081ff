// The policy preview in the release build: move one group from `semi_all_folders` to `full` in
// the draft, see the counts move by exactly what `airview diff` says for the same files, apply,
// see the Pending tab change, revert.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withApp } from './harness.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const airview = (...args) => JSON.parse(execFileSync('cargo', ['run', '--quiet', '-p', 'airview-cli', '--', ...args], { cwd: ROOT, maxBuffer: 1 << 28 }).toString());

const countOf = (text) => Number(/\(([\d,]+)\)/.exec(text)[1].replaceAll(',', ''));
const num = (text) => Number(text.replaceAll(',', ''));

test('a draft moves counts exactly as airview diff says, applies and reverts', async () => {
  // The app's sample is `airview generate --alerts 120 --seed 2026` under web/sample/policy.json.
  const dir = mkdtempSync(join(tmpdir(), 'airview-policy-'));
  const exportFile = join(dir, 'sample.json');
  execFileSync('cargo', ['run', '--quiet', '-p', 'airview-cli', '--', 'generate', '--alerts', '120', '--seed', '2026', '--out', exportFile], { cwd: ROOT });
  const current = JSON.parse(readFileSync(join(ROOT, 'web/sample/policy.json'), 'utf8'));
  const draft = structuredClone(current);
  const group = draft.groups.find((g) => g.name === 'Workstations');
  assert.equal(group.level, 'semi_all_folders');
  group.level = 'full';
  const draftFile = join(dir, 'draft.json');
  writeFileSync(draftFile, JSON.stringify(draft));
  const diff = airview('diff', '--from', join(ROOT, 'web/sample/policy.json'), '--to', draftFile, exportFile);
  const moved = diff.summary['pending_approval -> automatic'];
  assert.ok(moved > 0);
  assert.equal(diff.summary.changed, moved, 'only pending → automatic moves');
  const before = airview('evaluate', '--policy', join(ROOT, 'web/sample/policy.json'), exportFile).summary;

  await withApp('policy', async ({ page, screenshot }) => {
    await page.locator('table.actions tbody tr').first().waitFor();
    const pendingTab = () => page.getByRole('tab', { name: /^Pending/ }).textContent().then(countOf);
    const pendingBefore = await pendingTab();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Policy preview' }).click();
    await page.getByLabel('Automation level of Workstations').selectOption('full');

    const overall = page.getByRole('table', { name: 'Overall: current → draft' });
    const cells = overall.locator('tbody td');
    await overall.getByText(`${before.pending_approval - moved}`, { exact: true }).waitFor();
    const automatic = (await cells.nth(0).textContent()).match(/([\d,]+) → ([\d,]+)/);
    const pending = (await cells.nth(1).textContent()).match(/([\d,]+) → ([\d,]+)/);
    assert.deepEqual([num(automatic[1]), num(automatic[2])], [before.automatic, before.automatic + moved]);
    assert.deepEqual([num(pending[1]), num(pending[2])], [before.pending_approval, before.pending_approval - moved]);
    const chart = page.getByRole('figure', { name: 'Actions that move from one outcome to another' });
    await chart.getByText('Pending approval → Taken automatically').waitFor();
    await page.getByRole('heading', { name: `Actions whose outcome changes (${moved})` }).waitFor();
    await screenshot('policy-preview');

    await page.getByRole('textbox', { name: 'Comment' }).fill('workstations to full automation');
    await page.getByRole('button', { name: 'Apply draft' }).click();
    await page.getByRole('button', { name: 'Revert to the previous policy' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Action center' }).click();
    const pendingAfter = await pendingTab();
    assert.ok(pendingAfter < pendingBefore, `the Pending tab changes: ${pendingBefore} → ${pendingAfter}`);

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Policy preview' }).click();
    await page.getByRole('button', { name: 'Revert to the previous policy' }).click();
    await page.waitForFunction(() => document.querySelector('select[aria-label="Automation level of Workstations"]')?.value === 'semi_all_folders');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Action center' }).click();
    assert.equal(await pendingTab(), pendingBefore);
  });
});
