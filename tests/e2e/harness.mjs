// End-to-end harness: serves dist/ on 127.0.0.1 at a free port, opens it in Debian's Chromium
// through playwright-core with a fresh profile, and records every problem a user would not see
// but should never happen: a console error, an uncaught exception, a failed or 4xx/5xx request,
// and any request to another origin (airview works offline: nothing may leave the page's origin).
// `withApp` fails the test when any such problem was recorded.

import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Offline and as root: without the background-networking flags Chromium keeps calling home.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// A condition that takes longer than this is a failure, not something to wait out.
const TIMEOUT_MS = 10_000;

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves `dir` on 127.0.0.1 at a port the system picks; resolves to { origin, close }. */
export async function serveStatic(dir) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(dir, path));
      if (file !== dir && !file.startsWith(dir + sep)) throw new Error('outside dist');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      await stat(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((ok) => server.close(ok));
    },
  };
}

/**
 * Opens the built app in a fresh headless Chromium. Resolves to
 * { page, origin, problems, screenshot(name), close() }; `problems` lists what went wrong so far.
 */
export async function openApp() {
  await stat(join(DIST, 'index.html')).catch(() => {
    throw new Error(`no ${DIST}/index.html: run \`trunk build --release --offline\` first`);
  });
  const server = await serveStatic(DIST);
  const profile = await mkdtemp(join(tmpdir(), 'airview-e2e-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
  } catch (error) {
    await server.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(TIMEOUT_MS);

  const problems = [];
  // Every request goes through here: requests to another origin are recorded and never sent.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === server.origin) return route.continue();
    problems.push(`request left the page's origin: ${url}`);
    return route.abort('blockedbyclient');
  });
  const watch = (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
    page.on('requestfailed', (request) => {
      // Requests we aborted above are already recorded.
      if (new URL(request.url()).origin === server.origin) {
        problems.push(`request failed: ${request.url()}: ${request.failure()?.errorText}`);
      }
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);

  return {
    page,
    origin: server.origin,
    problems,
    async screenshot(name) {
      await mkdir(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `body(app)` against a freshly opened app, then fails if any problem was recorded.
 * On failure a screenshot is saved as `artifacts/<name>-failure.png`.
 */
export async function withApp(name, body) {
  const app = await openApp();
  try {
    await app.page.goto(`${app.origin}/`);
    await body(app);
    // Let requests and messages triggered by the last step arrive before judging.
    await app.page.waitForLoadState('networkidle');
    assert.deepEqual(app.problems, [], 'the page reported problems');
  } catch (error) {
    await app.screenshot(`${name}-failure`).catch(() => {});
    // A step that timed out often did so because of a problem the page reported: say which.
    if (app.problems.length > 0) {
      throw new Error(`${error}\nthe page reported:\n  ${app.problems.join('\n  ')}`, { cause: error });
    }
    throw error;
  } finally {
    await app.close();
  }
}
