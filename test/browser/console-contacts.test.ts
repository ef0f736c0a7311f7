import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, snap } from '../support/browser.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, signatureVerifies, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * Issue 18 in the console, in Debian's Chromium: contacts and groups made in their screens, a
 * notifier that reaches a group, an escalation policy and a failover built in the notifier
 * form; what they send arrives (the SES outbox, a receiver) and shows in the delivery log.
 * Its own Herald and browser: console.test.ts is long enough.
 */
let herald: TestHerald;
let receiver: Receiver;
let browser: Browser;
let page: Page;
let ingestKey: string;
const benSecret = `whsec_${randomBytes(24).toString('base64')}`;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald({ console: true });
  herald.startDelivering();
  ingestKey = await herald.createApp('shop');
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page) await snap(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await receiver?.close();
});

const postEvent = (body: object) =>
  fetch(`${herald.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
const mailsTo = async (address: string) =>
  ((await herald.call('GET', '/_local/outbox/email')).body.emails as { destination: { to: string[] }; subject: string }[]).filter((m) =>
    m.destination.to.includes(address),
  );
const row = (i: number) => page.locator(`[data-channel-row="${i}"]`);
const notifierOf = async (name: string) =>
  (await herald.call('GET', '/v1/apps/shop/notifiers?limit=100', { key: herald.adminKey })).body.notifiers.find(
    (n: { name: string }) => n.name === name,
  );

describe.skipIf(!hasChromium)('contacts, groups, escalation and failover in the console', () => {
  it('signs in', async () => {
    await page.goto(`${herald.url}/console/#/apps/shop/contacts`);
    await page.getByLabel('Admin key').fill(herald.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Contacts', exact: true }).waitFor();
    await page.getByText('No contacts for shop').waitFor();
  });

  it('adds two contacts (a wrong address shown at its field) and edits one: its masked secret is kept', async () => {
    await page.getByRole('button', { name: 'New contact' }).click();
    await page.getByLabel('Name').fill('Anna');
    await page.getByLabel('Language').selectOption('de');
    await row(0).getByLabel('To', { exact: true }).fill('anna-at-shop');
    await page.getByRole('button', { name: 'Add contact' }).click();
    // Herald's 400 names channels.0.target.to.0: shown at that field, nothing made.
    await page.locator('#f-channels-0-target-to-error').waitFor();
    expect(await row(0).getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await row(0).getByLabel('To', { exact: true }).fill('anna@shop.example');
    await page.getByRole('button', { name: 'Add contact' }).click();
    const anna = page.locator('tr[data-contact="Anna"]');
    await anna.waitFor();
    expect(await anna.textContent()).toContain('anna@shop.example');

    await page.getByRole('button', { name: 'New contact' }).click();
    await page.getByLabel('Name').fill('Ben');
    await row(0).getByLabel('Channel', { exact: true }).selectOption('webhook');
    await row(0).getByLabel('URL').fill(`${receiver.url}/ben`);
    await row(0).getByLabel('Secret (optional)').fill(benSecret);
    await page.getByRole('button', { name: 'Add a channel' }).click();
    await row(1).getByLabel('To', { exact: true }).fill('ben@shop.example');
    await row(1).getByLabel('For events from').selectOption('critical');
    await page.getByRole('button', { name: 'Add contact' }).click();
    const ben = page.locator('tr[data-contact="Ben"]');
    await ben.waitFor();
    expect(await ben.textContent()).toContain('(critical only)');

    // Edited: the secret comes back masked, and is sent back as it came.
    await ben.getByRole('button', { name: 'Edit Ben' }).click();
    expect(await row(0).getByLabel('Secret (optional)').inputValue()).not.toBe(benSecret);
    await page.getByLabel('Time zone of its messages').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Save' }).click();
    await ben.getByText('Europe/Berlin').waitFor();
    await snap(page, 'contacts');
    expect(await page.content()).not.toContain(benSecret);
  });

  it('groups them, and a notifier made in the form reaches the group: an event arrives by mail and by webhook, both in the log', async () => {
    await nav('Groups');
    await page.getByText('No groups for shop').waitFor();
    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByLabel('Name').fill('Storage on call');
    await page.getByRole('button', { name: 'Add group' }).click();
    // members: at least one.
    await page.locator('#g-members-error').waitFor();
    await page.getByRole('checkbox', { name: 'Anna' }).check();
    await page.getByRole('checkbox', { name: 'Ben' }).check();
    await page.getByRole('button', { name: 'Add group' }).click();
    const group = page.locator('tr[data-group="Storage on call"]');
    await group.locator('.members').getByText('Anna, Ben', { exact: true }).waitFor();
    const groupId = await group.getAttribute('data-id');

    await nav('Notifiers');
    await page.getByRole('link', { name: 'New notifier' }).click();
    await page.getByLabel('Name').fill('Storage');
    await page.getByRole('radio', { name: 'Contacts and groups' }).check();
    await page.getByRole('button', { name: 'Create notifier' }).click();
    // Neither contacts nor groups: the API's 400, shown in the form.
    await page.locator('#n-reach-error').waitFor();
    await page.getByRole('group', { name: 'Groups' }).getByRole('checkbox', { name: 'Storage on call' }).check();
    await page.getByRole('button', { name: 'Create notifier' }).click();
    const storage = page.locator('tr[data-notifier="Storage"]');
    await storage.locator('.recipient').getByText('Storage on call', { exact: true }).waitFor(); // by name, not id
    expect((await notifierOf('Storage')).groups).toEqual([groupId]);

    expect((await postEvent({ type: 'disk.full', severity: 'warning', title: 'Disk 91% full' })).status).toBe(202);
    const [mail] = await eventually(
      async () => {
        const mails = await mailsTo('anna@shop.example');
        return mails.length > 0 && mails;
      },
      15_000,
      "Anna's mail",
    );
    expect(mail?.subject).toContain('Disk 91% full');
    const hook = await eventually(async () => receiver.requests.find((r) => r.path === '/ben'), 15_000, "Ben's webhook");
    expect(signatureVerifies(benSecret, hook)).toBe(true); // the secret the edit sent back masked
    expect(await mailsTo('ben@shop.example')).toEqual([]); // his mail is for critical events

    await nav('Deliveries');
    await page.getByRole('combobox', { name: /^Notifier/ }).selectOption({ label: 'Storage' });
    const sent = page.locator('table.deliveries tbody tr', { hasText: 'disk.full' });
    await sent.filter({ hasText: 'email' }).locator('.status-sent').waitFor({ timeout: 15_000 });
    await sent.filter({ hasText: 'webhook' }).locator('.status-sent').waitFor({ timeout: 15_000 });
  }, 60_000);

  it('switches a notifier from its group to a channel and back in its form (a merge patch of the way it reaches)', async () => {
    await nav('Notifiers');
    const storage = page.locator('tr[data-notifier="Storage"]');
    await storage.getByRole('link', { name: 'Storage' }).click();
    await page.getByRole('heading', { name: 'Storage' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Contacts and groups' }).isChecked()).toBe(true);
    expect(await page.getByRole('group', { name: 'Groups' }).getByRole('checkbox', { name: 'Storage on call' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'A channel' }).check();
    await page.getByLabel('URL').fill(`${receiver.url}/storage`);
    await page.getByRole('button', { name: 'Save' }).click();
    await storage.getByRole('cell', { name: 'webhook', exact: true }).waitFor();
    const asChannel = await notifierOf('Storage');
    expect(asChannel.channel).toBe('webhook');
    expect(asChannel.groups).toBeUndefined();
    expect((await postEvent({ type: 'disk.full', severity: 'warning', title: 'Disk 95% full' })).status).toBe(202);
    await eventually(
      async () => receiver.requests.some((r) => r.path === '/storage' && r.body.includes('Disk 95% full')),
      15_000,
      'the webhook',
    );

    await storage.getByRole('link', { name: 'Storage' }).click();
    await page.getByRole('heading', { name: 'Storage' }).waitFor();
    await page.getByRole('radio', { name: 'Contacts and groups' }).check();
    await page.getByRole('group', { name: 'Groups' }).getByRole('checkbox', { name: 'Storage on call' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await storage.locator('.recipient').getByText('Storage on call', { exact: true }).waitFor();
    const back = await notifierOf('Storage');
    expect(back.channel).toBeUndefined();
    expect(back.target).toBeUndefined();
    expect(back.groups).toHaveLength(1);
  });

  it('refuses to delete a contact a group names, saying which; a global contact is offered to the app', async () => {
    await nav('Contacts');
    await page.getByRole('button', { name: 'Delete Anna' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete contact' }).click();
    await page.getByRole('dialog').getByRole('alert').getByText('Storage on call').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.locator('tr[data-contact="Anna"]').waitFor();

    await nav('Global contacts');
    await page.getByText('No global contacts').waitFor();
    await page.getByRole('button', { name: 'New contact' }).click();
    await page.getByLabel('Name').fill('Night desk');
    await row(0).getByLabel('To', { exact: true }).fill('night@ops.example');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.locator('tr[data-contact="Night desk"]').waitFor();
    expect((await herald.call('GET', '/v1/contacts', { key: herald.adminKey })).body.contacts.map((c: { name: string }) => c.name)).toEqual(
      ['Night desk'],
    );
    await nav('Groups');
    await page.getByRole('button', { name: 'Edit Storage on call' }).click();
    await page.getByRole('checkbox', { name: 'Night desk (all apps)' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('builds an escalation policy in the notifier form (a step out of order shown at its field): stored as built, listed, and step 1 of an incident is in the log', async () => {
    const first = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'First on call', channel: 'webhook', target: { url: `${receiver.url}/first` }, events: ['nothing.wanted'] },
    });
    expect(first.status).toBe(201);
    await nav('Notifiers');
    await page.getByRole('link', { name: 'New notifier' }).click();
    await page.getByLabel('Name').fill('On call');
    await page.getByRole('radio', { name: 'An escalation policy' }).check();
    await page.getByRole('button', { name: 'Add whom it tells' }).click();
    await page.getByLabel('Step 1: who: 1').selectOption({ label: 'First on call' });
    await page.getByRole('button', { name: 'Add a step' }).click();
    const step2 = page.locator('[data-step="2"]');
    await step2.getByRole('button', { name: 'Add whom it tells' }).click();
    await page.getByLabel('Step 2: who: 1').selectOption({ label: 'Storage on call' });
    await page.getByLabel('Step 2: after', { exact: true }).fill('0');
    await page.getByLabel('More rounds').fill('1');
    await page.getByRole('button', { name: 'Create notifier' }).click();
    // Steps must come in order: Herald's 400 names escalation.steps.1.afterSeconds, shown at step 2's field.
    await page.locator('#esc-1-after-error').waitFor();
    expect(await page.getByLabel('Step 2: after', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Step 2: after', { exact: true }).fill('10');
    await page.getByLabel('Step 2: after: unit').selectOption({ label: 'min' });
    const summary = 'escalates in 2 steps (0 s, 10 min), 1 more round';
    expect(await page.locator('.escalation-summary').textContent()).toBe(summary);
    await page.locator('fieldset.reach').scrollIntoViewIfNeeded();
    await snap(page, 'notifier-escalation');
    await page.getByRole('button', { name: 'Create notifier' }).click();
    const row = page.locator('tr[data-notifier="On call"]');
    await row.locator('.recipient').getByText(summary).waitFor();
    expect(await row.getByRole('button', { name: 'Test On call' }).count()).toBe(0); // a policy has nothing to test
    const groupId = (await herald.call('GET', '/v1/apps/shop/contact-groups', { key: herald.adminKey })).body.groups[0].id;
    expect((await notifierOf('On call')).escalation).toEqual({
      steps: [
        { afterSeconds: 0, notify: [{ notifier: first.body.notifier.id }] },
        { afterSeconds: 600, notify: [{ group: groupId }] },
      ],
      repeat: 1,
    });
    // Shown as stored when opened again.
    await row.getByRole('link', { name: 'On call' }).click();
    await page.getByRole('heading', { name: 'On call' }).waitFor();
    expect(await page.getByLabel('Step 2: who: 1').inputValue()).toBe(`group:${groupId}`);
    expect(await page.locator('.escalation-summary').textContent()).toBe(summary);
    await page.getByRole('button', { name: 'Cancel' }).click();

    expect(
      (await postEvent({ type: 'check.status_changed', title: 'Search down', data: { check: 'search', status: 'ERROR' } })).status,
    ).toBe(202);
    await eventually(async () => receiver.requests.some((r) => r.path === '/first' && r.body.includes('Search down')), 15_000, 'step 1');
    await nav('Deliveries');
    const step = page
      .locator('table.deliveries tbody tr', { hasText: 'check.status_changed' })
      .filter({ has: page.locator('.escalation-step') });
    await step.locator('.status-sent').waitFor({ timeout: 15_000 });
    expect(await step.locator('.escalation-step').textContent()).toBe('step 1');
    await step.getByRole('link').first().click();
    const drawer = page.getByRole('complementary', { name: 'Delivery' });
    expect(await drawer.locator('dd.escalation-step').textContent()).toBe('step 1 of On call');
    await drawer.getByRole('button', { name: 'Close the delivery' }).click();
  }, 60_000);

  it('fails a webhook over as set in its form (a round trip: stored, shown, reordered): a 404 reaches the next, and the log links both', async () => {
    receiver.respond((req) => ({ status: req.path === '/down' ? 404 : 200 }));
    await nav('Notifiers');
    await page.getByRole('link', { name: 'New notifier' }).click();
    await page.getByLabel('Name').fill('Fragile hook');
    await page.getByLabel('URL').fill(`${receiver.url}/down`);
    await page.getByRole('checkbox', { name: 'When a delivery fails, dies or is late, try the next of a list' }).check();
    await page.getByRole('button', { name: 'Add a fallback' }).click();
    await page.getByLabel('Fail over to, in order: 1').selectOption({ label: 'Anna' });
    await page.getByLabel('Late after', { exact: true }).fill('2');
    await page.getByLabel('Late after: unit').selectOption({ label: 'min' });
    await page.getByRole('button', { name: 'Create notifier' }).click();
    await page.getByText("The webhook's signing secret").waitFor();
    await page.getByRole('button', { name: 'I have kept it' }).click();
    const row = page.locator('tr[data-notifier="Fragile hook"]');
    await row.locator('.failover-summary').getByText('fails over to Anna (after 2 min)').waitFor();
    const annaId = (await herald.call('GET', '/v1/apps/shop/contacts', { key: herald.adminKey })).body.contacts.find(
      (c: { name: string }) => c.name === 'Anna',
    ).id;
    expect((await notifierOf('Fragile hook')).failover).toEqual({ to: [{ contact: annaId }], afterSeconds: 120 });

    // Opened again: as stored; First on call added and moved first.
    await row.getByRole('link', { name: 'Fragile hook' }).click();
    await page.getByRole('heading', { name: 'Fragile hook' }).waitFor();
    expect(await page.getByLabel('Fail over to, in order: 1').inputValue()).toBe(`contact:${annaId}`);
    await page.getByRole('button', { name: 'Add a fallback' }).click();
    await page.getByLabel('Fail over to, in order: 2').selectOption({ label: 'First on call' });
    await page.getByRole('button', { name: 'Move First on call up' }).click();
    await page.locator('fieldset.failover').scrollIntoViewIfNeeded();
    await snap(page, 'notifier-failover');
    await page.getByRole('button', { name: 'Save' }).click();
    await row.locator('.failover-summary').getByText('fails over to First on call, then Anna (after 2 min)').waitFor();
    const first = (await notifierOf('First on call')).id;
    expect((await notifierOf('Fragile hook')).failover).toEqual({ to: [{ notifier: first }, { contact: annaId }], afterSeconds: 120 });

    expect((await postEvent({ type: 'backup.failed', title: 'Nightly backup failed' })).status).toBe(202);
    await eventually(
      async () => receiver.requests.some((r) => r.path === '/first' && r.body.includes('Nightly backup failed')),
      15_000,
      'the failover',
    );
    await nav('Deliveries');
    const events = page.locator('table.deliveries tbody tr', { hasText: 'backup.failed' });
    const failed = events.filter({ has: page.locator('.failed-over-to') });
    await failed.locator('.status-failed').waitFor({ timeout: 15_000 });
    const standIn = events.filter({ has: page.locator('.failover-of') });
    await standIn.locator('.status-sent').waitFor({ timeout: 15_000 });
    const failedId = (await failed.getAttribute('data-delivery')) as string;
    const standInId = (await standIn.getAttribute('data-delivery')) as string;
    expect(await failed.locator('.failed-over-to').textContent()).toBe(`failed over to ${standInId}`);
    await standIn.locator('.failover-of').getByRole('link', { name: failedId }).click();
    const drawer = page.getByRole('complementary', { name: 'Delivery' });
    await drawer.getByText(failedId, { exact: true }).first().waitFor();
    expect(await drawer.locator('dd.failed-over-to').textContent()).toBe(standInId);
    await drawer.getByRole('button', { name: 'Close the delivery' }).click();
  }, 60_000);

  it('paces an SMS notifier at a rate set in its form: of 40 events at once, the ones that waited are coalesced into one message, filtered and linked in the log', async () => {
    const opsKey = await herald.createApp('ops');
    await page.goto(`${herald.url}/console/#/apps/ops/notifiers/new`);
    await page.getByLabel('Name').fill('Pager');
    await page.getByLabel('Channel', { exact: true }).selectOption('sms');
    await page.getByLabel('To', { exact: true }).fill('+4915112340009');
    await page.getByText('Language, quiet hours, repeats and overrides').click();
    await page.getByRole('combobox', { name: 'Pace' }).selectOption({ label: 'My own rate' });
    await page.getByLabel('Per second').fill('2');
    await page.getByLabel('Bursts of').fill('1');
    await page.getByRole('button', { name: 'Create notifier' }).click();
    const row = page.locator('tr[data-notifier="Pager"]');
    await row.locator('.rate-summary').getByText('at most 2/s').waitFor();
    const pager = (await herald.call('GET', '/v1/apps/ops/notifiers', { key: herald.adminKey })).body.notifiers.find(
      (n: { name: string }) => n.name === 'Pager',
    );
    expect(pager.rate).toEqual({ perSecond: 2, burst: 1 });

    const events = Array.from({ length: 40 }, (_, i) => ({ type: 'queue.backlog', title: `Backlog ${i + 1}` }));
    const batch = await fetch(`${herald.url}/v1/events/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opsKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(batch.status).toBe(202);
    const texts = async () =>
      ((await herald.call('GET', '/_local/outbox/sms')).body.messages as { phoneNumber: string; message: string }[])
        .filter((m) => m.phoneNumber === '+4915112340009')
        .map((m) => m.message);
    const merged = await eventually(
      async () => (await texts()).find((t) => /\d+ more notifications for Ops/.test(t)),
      40_000,
      'the coalesced SMS',
    );

    await page.getByRole('navigation').getByRole('link', { name: 'Deliveries', exact: true }).click();
    await page.getByRole('checkbox', { name: 'coalesced' }).check();
    const coalesced = page.locator('table.deliveries tbody tr').filter({ has: page.locator('.status-coalesced') });
    await coalesced.first().waitFor({ timeout: 15_000 });
    const carrierId = (await coalesced.first().locator('.carried-by a').textContent()) as string;
    expect(carrierId).toMatch(/^dlv_/);
    await coalesced.first().getByRole('link', { name: carrierId }).click();
    const drawer = page.getByRole('complementary', { name: 'Delivery' });
    await drawer.getByText(carrierId, { exact: true }).waitFor();
    await drawer.locator('.facts .status-sent').waitFor({ timeout: 15_000 });
    await snap(page, 'delivery-coalesced');
    expect(merged).toContain('more notifications for Ops');
    await drawer.getByRole('button', { name: 'Close the delivery' }).click();
    await page.goto(`${herald.url}/console/#/apps/shop/contacts`);
  }, 90_000);

  it('fits a phone: Contacts and Groups', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const small = await phone.newPage();
    await small.goto(`${herald.url}/console/#/apps/shop/contacts`);
    await small.getByLabel('Admin key').fill(herald.adminKey);
    await small.getByRole('button', { name: 'Sign in' }).click();
    await small.locator('tr[data-contact="Ben"]').waitFor();
    expect(await small.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await snap(small, 'phone-contacts');
    await small.getByRole('button', { name: 'Edit Ben' }).click();
    await small.locator('[data-channel-row="1"]').waitFor();
    expect(await small.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await small.goto(`${herald.url}/console/#/apps/shop/groups`);
    await small.locator('tr[data-group="Storage on call"]').waitFor();
    expect(await small.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await phone.close();
  });

  it('takes a name typed with emoji: stored, listed and edited intact', async () => {
    const name = 'Zoë 🚨👩‍💻 on call';
    await nav('Contacts');
    await page.getByRole('button', { name: 'New contact' }).click();
    await page.getByLabel('Name').fill(name);
    await row(0).getByLabel('To', { exact: true }).fill('zoe@shop.example');
    await page.getByRole('button', { name: 'Add contact' }).click();
    const listed = page.locator(`tr[data-contact="${name}"]`);
    await listed.waitFor();
    expect(await listed.textContent()).toContain(name);
    const stored = (await herald.call('GET', '/v1/apps/shop/contacts', { key: herald.adminKey })).body.contacts;
    expect(stored.map((c: { name: string }) => c.name)).toContain(name);
    await page.getByRole('button', { name: `Edit ${name}` }).click();
    expect(await page.getByLabel('Name').inputValue()).toBe(name);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });
});
