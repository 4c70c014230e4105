// Debian's Chromium driven by playwright-core (never a browser of Playwright's own), and
// what the checks share about a page: its last document response, screenshots, waits
// with deadlines.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';

/** The two sizes of the issue: a phone and a desktop. */
export const VIEWPORTS = [
  { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
];

/** Deadline for one navigation or one awaited element. */
export const STEP_TIMEOUT_MS = 30_000;

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/**
 * A page in a fresh context (its own cookies) at `size`, which remembers the last HTML
 * document the main frame received, so that the checks can validate what the server
 * sent (not the DOM after scripts ran).
 */
export async function openPage(browser, size, origin) {
  const context = await browser.newContext({
    viewport: size.viewport,
    deviceScaleFactor: size.deviceScaleFactor,
    isMobile: size.isMobile,
    hasTouch: size.hasTouch,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    baseURL: origin,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const state = { documents: [], consoleErrors: [] };
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame() && !(response.status() >= 300 && response.status() < 400)) {
      state.documents.push(response);
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error') state.consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => state.consoleErrors.push(`${page.url()}: ${error.message}`));
  return { context, page, state };
}

/** The HTML the server sent for the page shown now, and its status. */
export async function lastDocument(state) {
  const response = state.documents.at(-1);
  if (!response) throw new Error('no document was received');
  return { url: response.url(), status: response.status(), html: await response.text() };
}

/** A full-page screenshot `target/e2e/<size>/<nn>-<step>.png`. */
export class Shots {
  constructor(root, size) {
    this.dir = join(root, 'target', 'e2e', size);
    mkdirSync(this.dir, { recursive: true });
    this.n = 0;
  }

  async take(page, step) {
    this.n += 1;
    const file = join(this.dir, `${String(this.n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }
}

/** Throws `message` unless `condition`: the journeys read as a list of what a shopper sees. */
export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** Polls `check` until it holds, for at most 20 s (a publish is asynchronous). */
export async function poll(what, check) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`still not true after 20 s: ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
