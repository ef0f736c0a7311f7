import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (no browser download: `apt-get install -y
 * chromium`). Where it is missing the browser tests are skipped, and the test run says so
 * (test/support/browser-check.ts).
 */
export const CHROMIUM = process.env['HERALD_CHROMIUM'] ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** Where the tests' screenshots go: a temporary folder, never the tree. */
export const SCREENSHOTS = join(tmpdir(), 'herald-console-screenshots');

/**
 * `npm run screenshots` (HERALD_SCREENSHOTS=docs) also refreshes the README's:
 * Deliveries, a notifier form and its grouping, Preview, a new source's secret and snippet,
 * Silences, Incidents and Contacts.
 */
const README_SHOTS = new Set([
  'deliveries',
  'notifier-form',
  'notifier-grouping',
  'preview',
  'source-created',
  'silences',
  'incidents',
  'contacts',
]);

export async function snap(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  const docs = process.env['HERALD_SCREENSHOTS'];
  if (docs && README_SHOTS.has(name)) {
    mkdirSync(docs, { recursive: true });
    await page.screenshot({ path: join(docs, `console-${name}.png`), fullPage: options.fullPage ?? false });
  }
  return file;
}
