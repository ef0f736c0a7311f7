import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, snap } from '../support/browser.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * The delivery log's older pages in Debian's Chromium: "Older deliveries" adds the next
 * page under the first, once per click; a page still on its way when the filters change is
 * not shown under the new filters. Its own Herald: 60 events, none delivered (no consumer
 * runs), so that the log's first page of 50 has an older one.
 */
let herald: TestHerald;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  herald = await startTestHerald({ console: true });
  const ingestKey = await herald.createApp('shop');
  const hook = await herald.call('POST', '/v1/apps/shop/notifiers', {
    key: herald.adminKey,
    body: { name: 'Hook', channel: 'webhook', target: { url: 'http://127.0.0.1:9/hook' }, events: ['*'] },
  });
  expect(hook.status).toBe(201);
  const events = Array.from({ length: 60 }, (_, i) => ({ type: 'paged.event', title: `Event ${i}` }));
  const posted = await herald.call('POST', '/v1/events/batch', { key: ingestKey, body: { events } });
  expect(posted.status).toBe(202);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${herald.url}/console`);
  await page.getByLabel('Admin key').fill(herald.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
});
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page) await snap(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await browser?.close();
  await herald?.stop();
});

const rows = () => page.locator('tbody tr', { hasText: 'paged.event' });
const older = () => page.getByRole('button', { name: 'Older deliveries' });
const olderPage = (url: URL) => url.pathname.endsWith('/deliveries') && url.searchParams.has('cursor');

describe.skipIf(!hasChromium)('the delivery log in Chromium', () => {
  it('adds the older page under the first, once however fast the clicks come', async () => {
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(50);
    const asked: string[] = [];
    page.on('request', (r) => olderPage(new URL(r.url())) && asked.push(r.url()));
    await older().dblclick();
    await expect.poll(() => rows().count()).toBe(60);
    await expect(older().count()).resolves.toBe(0); // the last page
    expect(asked).toHaveLength(1);
  });

  it('drops an older page that comes after the filters changed, instead of showing it under them', async () => {
    await page.reload();
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(50);
    // The older page takes a second; meanwhile the log is filtered to failed deliveries, of which there are none.
    const slow = async (route: Route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    };
    await page.route(olderPage, slow);
    const arrived = page.waitForResponse((r) => olderPage(new URL(r.url())));
    await older().click();
    await page.getByRole('checkbox', { name: 'failed' }).check();
    await page.getByText('No deliveries here').waitFor();
    await arrived;
    await page.waitForTimeout(300); // what the page does with it
    expect(await rows().count()).toBe(0);
    await page.getByText('No deliveries here').waitFor();
    await page.unroute(olderPage, slow);
  });

  it('goes on past an older page with no row (a sparse filter reads that far and answers none, with a cursor)', async () => {
    await page.getByRole('checkbox', { name: 'failed' }).uncheck();
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(50);
    // The first older page comes back empty with a cursor of its own; the next click must ask from that one.
    let first = '';
    const empty = async (route: Route) => {
      const url = new URL(route.request().url());
      const cursor = url.searchParams.get('cursor') as string;
      if (!first) {
        first = cursor;
        return route.fulfill({ json: { deliveries: [], nextCursor: 'past-the-empty-page' } });
      }
      if (cursor === first) return route.fulfill({ json: { deliveries: [], nextCursor: 'past-the-empty-page' } });
      url.searchParams.set('cursor', first); // what the real page after the empty one holds
      return route.continue({ url: url.href });
    };
    await page.route(olderPage, empty);
    await older().click();
    await expect.poll(() => first).not.toBe('');
    await older().click();
    await expect.poll(() => rows().count()).toBe(60);
    await page.unroute(olderPage, empty);
  });
});
