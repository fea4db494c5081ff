// The app's shell in the release build: it loads under the page's Content-Security-Policy,
// shows the Action center, and its navigation answers a click.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './harness.mjs';

test('the shell opens on the action center and navigates to the settings', async () => {
  await withApp('shell', async ({ page, screenshot }) => {
    const nav = page.getByRole('navigation', { name: 'Sections' });
    const center = nav.getByRole('link', { name: 'Action center' });
    await center.waitFor();
    assert.equal(await center.getAttribute('aria-current'), 'page');
    await page.getByRole('region', { name: 'Action center' }).waitFor();
    await screenshot('shell');

    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Settings' }).getAttribute('aria-current'), 'page');
    assert.equal(await center.getAttribute('aria-current'), null);
    assert.match(page.url(), /#\/settings$/);
  });
});

test('the page allows its loader script by hash, never inline scripts at large', async () => {
  await withApp('csp', async ({ page }) => {
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    const csp = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.doesNotMatch(csp, /unsafe-inline|inline-script-hashes/);
  });
});
