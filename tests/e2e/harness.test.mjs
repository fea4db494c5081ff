// The harness itself: a page that reaches for another origin must be caught, or every other
// end-to-end test could pass while the app phones home.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApp } from './harness.mjs';

test('the harness records requests to another origin and console errors', async () => {
  const app = await openApp();
  try {
    await app.page.goto(`${app.origin}/`);
    await app.page.getByRole('navigation', { name: 'Sections' }).waitFor();
    // `.invalid` never resolves, and the harness aborts the request before it is sent anyway.
    await app.page.evaluate(() => fetch('http://airview.invalid/beacon').catch(() => {}));
    await app.page.evaluate(() => console.error('deliberate error'));
    await app.page.waitForLoadState('networkidle');
    assert.ok(
      app.problems.some((p) => p.includes('airview.invalid')),
      `foreign request not recorded: ${JSON.stringify(app.problems)}`,
    );
    assert.ok(app.problems.includes('console error: deliberate error'), JSON.stringify(app.problems));
  } finally {
    await app.close();
  }
});
