// The action center in the release build, as a new user tries it: the sample loads and says so;
// approve one pending action and find it in History after a reload; reject with a comment; bulk
// approve of one type; mixed types refused with the reason; undo across instances of a file; a
// Security Reader sees Approve and Undo disabled; hostile text in an export stays text.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './harness.mjs';

const countOf = (text) => Number(/\(([\d,]+)\)/.exec(text)[1].replaceAll(',', ''));
const rows = (page) => page.locator('table.actions tbody tr:not(.pad)');

async function tabCount(page, name) {
  return countOf(await page.getByRole('tab', { name: new RegExp(`^${name}`) }).textContent());
}

async function saved(page) {
  await page.locator('[data-save-state="saved"]').waitFor();
}

test('the sample loads, says so, and an approval survives a reload', async () => {
  await withApp('approve-reload', async ({ page, screenshot }) => {
    await page.getByText('showing the sample investigations').waitFor();
    await rows(page).first().waitFor();
    const before = await tabCount(page, 'Pending');
    assert.ok(before > 0, 'the sample has pending actions');
    await screenshot('pending');

    const link = rows(page).first().locator('td.entity a');
    const href = await link.getAttribute('href');
    await link.click();
    const flyout = page.getByRole('dialog');
    await flyout.getByRole('heading', { name: 'Why is this pending' }).waitFor();
    await screenshot('flyout');
    await flyout.getByRole('button', { name: 'Approve', exact: true }).click();
    await flyout.getByText('Completed', { exact: true }).waitFor();
    assert.equal(await tabCount(page, 'Pending'), before - 1);
    await saved(page);

    await page.reload();
    await rows(page).first().waitFor();
    assert.equal(await tabCount(page, 'Pending'), before - 1);
    await page.goto(page.url().replace(/#.*$/, '') + href);
    await page.getByRole('dialog').getByText('Completed', { exact: true }).waitFor();
    await page.getByRole('dialog').getByText('Analyst approved').waitFor();
    await page.getByRole('tab', { name: /^History/ }).click();
    await page.getByRole('searchbox').fill(decodeURIComponent(href.replace('#/action/', '')));
    await rows(page).first().waitFor();
    assert.equal(await rows(page).count(), 1);
    assert.match(await rows(page).first().textContent(), /Completed/);
    await screenshot('history');
  });
});

test('reject with a comment, and the journal keeps it', async () => {
  await withApp('reject', async ({ page }) => {
    await rows(page).first().waitFor();
    const before = await tabCount(page, 'Pending');
    await rows(page).nth(1).locator('td.entity a').click();
    const flyout = page.getByRole('dialog');
    await flyout.getByRole('textbox', { name: 'Comment' }).fill('benign admin tool <b>not bold</b>');
    await flyout.getByRole('button', { name: 'Reject', exact: true }).click();
    await flyout.getByText('Rejected', { exact: true }).waitFor();
    await flyout.getByText('benign admin tool <b>not bold</b>').first().waitFor();
    assert.equal(await tabCount(page, 'Pending'), before - 1);
  });
});

test('bulk approve of one type; mixed types are refused with the reason', async () => {
  await withApp('bulk', async ({ page, screenshot }) => {
    await rows(page).first().waitFor();
    // Two rows of different action types: the buttons are disabled and say why.
    const types = await rows(page).locator('td:nth-child(4)').allTextContents();
    const second = types.findIndex((t) => t !== types[0]);
    assert.ok(second > 0, 'the sample mixes action types');
    await rows(page).nth(0).getByRole('checkbox').check();
    await rows(page).nth(second).getByRole('checkbox').check();
    const approve = page.getByRole('group', { name: 'Act on the selected actions' }).getByRole('button', { name: 'Approve' });
    assert.equal(await approve.isDisabled(), true);
    await page.locator('#bulk-reason').getByText(/different types cannot be handled together/).waitFor();
    await screenshot('mixed-types');

    // One type: filter, select all shown, approve together.
    await page.getByRole('checkbox', { name: 'Select all shown actions' }).check();
    await page.getByRole('checkbox', { name: 'Select all shown actions' }).uncheck();
    const before = await tabCount(page, 'Pending');
    const select = page.getByLabel('Action type');
    const option = await select.locator('option').nth(1);
    await select.selectOption(await option.getAttribute('value'));
    const shown = await rows(page).count();
    assert.ok(shown >= 1);
    await page.getByRole('checkbox', { name: 'Select all shown actions' }).check();
    await page.getByText(`${shown} selected`).waitFor();
    await approve.click();
    await page.getByText('0 selected').waitFor();
    assert.equal(await tabCount(page, 'Pending'), before - shown);
  });
});

test('undo across instances of a quarantined file', async () => {
  await withApp('undo-instances', async ({ page, screenshot }) => {
    await rows(page).first().waitFor();
    await page.getByRole('tab', { name: /^History/ }).click();
    await page.getByLabel('Action type').selectOption('quarantine_file');
    await page.getByLabel('Status').selectOption('completed');
    const ids = await rows(page).locator('td.entity a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    let found = null;
    for (const href of ids) {
      await page.goto(page.url().replace(/#.*$/, '') + href);
      const more = page.getByRole('dialog').getByRole('button', { name: /^Apply to \d+ more instances/ });
      if (await more.count()) {
        found = { href, more: Number(/(\d+)/.exec(await more.textContent())[1]) };
        break;
      }
    }
    assert.ok(found, 'the sample quarantined one file on several devices');
    await screenshot('undo-flyout');
    await page.getByRole('dialog').getByRole('button', { name: /^Apply to/ }).click();
    await page.getByRole('dialog').getByText('Undone', { exact: true }).waitFor();
    await page.goto(page.url().replace(/#.*$/, '') + '#/history');
    await page.getByLabel('Status').selectOption('undone');
    assert.equal(await rows(page).count(), found.more + 1);
  });
});

test('a Security Reader sees Approve and Undo disabled', async () => {
  await withApp('reader', async ({ page, screenshot }) => {
    await rows(page).first().waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
    const identity = page.getByRole('form', { name: 'Current analyst' });
    await identity.getByLabel('Name').fill('Riley Reader');
    for (const role of ['Security Administrator', 'Global Administrator', 'Active remediation actions', 'Search and Purge']) {
      await identity.getByLabel(role).uncheck();
    }
    await identity.getByLabel('Security Reader').check();
    await identity.getByRole('button', { name: 'Save identity' }).click();
    await page.getByText('Now acting as Riley Reader with Security Reader.').waitFor();
    await screenshot('settings');

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Action center' }).click();
    await rows(page).first().locator('td.entity a').click();
    const approve = page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true });
    assert.equal(await approve.isDisabled(), true);
    await page.getByRole('dialog').getByText(/Security Administrator/).first().waitFor();

    await page.goto(page.url().replace(/#.*$/, '') + '#/history');
    await page.getByLabel('Action type').selectOption('quarantine_file');
    await page.getByLabel('Status').selectOption('completed');
    await rows(page).first().locator('td.entity a').click();
    assert.equal(await page.getByRole('dialog').getByRole('button', { name: 'Undo', exact: true }).isDisabled(), true);
  });
});

test('hostile text in an export loads as text and nothing runs', async () => {
  await withApp('hostile', async ({ page, screenshot }) => {
    await rows(page).first().waitFor();
    const subject = '<img src=x onerror="window.__pwned=1">';
    const file = '<script>window.__pwned=2</script>.exe';
    const alert = {
      id: 'xss-1',
      title: '<svg onload="window.__pwned=3">',
      createdDateTime: new Date().toISOString(),
      evidence: [
        { '@odata.type': '#microsoft.graph.security.deviceEvidence', mdeDeviceId: 'x1', deviceDnsName: 'ws-x.contoso.com', rbacGroupName: 'Workstations' },
        { '@odata.type': '#microsoft.graph.security.analyzedMessageEvidence', verdict: 'malicious', createdDateTime: new Date().toISOString(), subject, recipientEmailAddress: 'a@contoso.com' },
        { '@odata.type': '#microsoft.graph.security.fileEvidence', verdict: 'malicious', createdDateTime: new Date().toISOString(), mdeDeviceId: 'x1', fileDetails: { fileName: file, filePath: 'C:\\Users\\a\\Downloads' } },
      ],
    };
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Load exports' }).click();
    await page.locator('input[type=file]').setInputFiles({ name: '<b>hostile</b>.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ value: [alert] })) });
    await page.getByRole('cell', { name: '<b>hostile</b>.json' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Action center' }).click();
    await page.getByText(`${subject} (a@contoso.com)`).waitFor();
    await page.getByText(file).first().waitFor();
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('main img, main script, main svg[onload]').count(), 0);
    await screenshot('hostile');
  });
});

test('a malformed file is refused with its name and place, and what was loaded stays', async () => {
  await withApp('malformed', async ({ page }) => {
    await rows(page).first().waitFor();
    const before = await tabCount(page, 'Pending');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Load exports' }).click();
    await page.locator('input[type=file]').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"value": [\n  {"id": "a", "evidence": [{"verdict": 7}]}\n]}') });
    await page.getByRole('alert').getByText('`broken.json`, line 2, column').waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Action center' }).click();
    assert.equal(await tabCount(page, 'Pending'), before);
  });
});

test('incidents and investigations: the Pending action filter and an investigation page', async () => {
  await withApp('investigations', async ({ page, screenshot }) => {
    await rows(page).first().waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Incidents & investigations' }).click();
    const all = await rows(page).count();
    await page.getByLabel(/Pending action only/).check();
    const pending = await rows(page).count();
    assert.ok(pending > 0 && pending < all, `${pending} of ${all}`);
    for (const status of await rows(page).locator('td:nth-child(4)').allTextContents()) assert.equal(status, 'Pending action');
    await screenshot('investigations');
    await rows(page).first().locator('a').first().click();
    await page.getByRole('heading', { name: /^Investigation / }).waitFor();
    await page.getByRole('heading', { name: /^Response actions/ }).waitFor();
    await screenshot('investigation');
  });
});

/**
 * Damages what the app stored under `key`, as a bad disk or a hand edit would: `flip` swaps
 * `from` for `to` in the stored text; `set` replaces it with `to`. (The page's CSP forbids
 * `eval`, so the edit is data, not code.)
 */
async function corrupt(page, key, mode, from, to) {
  await page.evaluate(
    ([key, mode, from, to]) =>
      new Promise((ok, fail) => {
        const open = indexedDB.open('airview');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('state', 'readwrite');
          const store = tx.objectStore('state');
          const get = store.get(key);
          get.onsuccess = () => store.put(mode === 'set' ? to : String(get.result ?? '').replace(from, to), key);
          tx.oncomplete = () => { open.result.close(); ok(); };
          tx.onerror = () => fail(tx.error);
          tx.onabort = () => fail(tx.error);
        };
      }),
    [key, mode, from, to],
  );
}

test('a broken journal or a corrupted store is reported, offered for export, and the page stays', async () => {
  await withApp('corrupted', async ({ page, screenshot }) => {
    await rows(page).first().waitFor();
    await rows(page).first().locator('td.entity a').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('dialog').getByText('Completed', { exact: true }).waitFor();
    await saved(page);
    // Edit the journal's first entry: its hash no longer matches.
    await corrupt(page, 'journal', 'flip', '"approve"', '"reject"');
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'the saved journal is broken' });
    await alert.getByText('line 1').waitFor();
    await alert.getByRole('button', { name: 'Export it' }).waitFor();
    await rows(page).first().waitFor();
    await screenshot('broken-journal');

    await corrupt(page, 'exports', 'set', null, '[["a.json", ');
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'the stored exports are corrupted' }).getByRole('button', { name: 'Export it' }).waitFor();
    await page.getByText('showing the sample investigations').waitFor();
    await rows(page).first().waitFor();
  });
});
