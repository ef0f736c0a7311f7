import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;
let receiver: Receiver;
let key: string;

beforeAll(async () => {
  receiver = await startReceiver();
  // The installation overrides one part for every notifier.
  herald = await startTestHerald({
    messages: { templates: { 'chat.text': 'Installation says {{ event.headline }}' }, consoleUrl: 'https://herald.example.com' },
  });
  key = await herald.createApp('shop', { metadata: { host: 'web-1', url: 'https://shop.example.com' } });
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const preview = async (body: object) => herald.call('POST', '/v1/preview', { key: herald.adminKey, body });

describe('POST /v1/preview', () => {
  it('answers every part for every channel, and each placeholder with its value', async () => {
    const res = await preview({
      appId: 'shop',
      event: { type: 'app_deployed', title: 'v42', data: { build: { commit: 'ac77098' } } },
      locale: 'de',
    });
    expect(res.status).toBe(200);
    expect(res.body.locale).toBe('de');
    expect(Object.keys(res.body.parts).sort()).toEqual(['chat', 'email', 'slack', 'sms']);
    expect(res.body.parts.email.subject).toBe('[Shop] v42');
    expect(res.body.parts.email.text).toContain('Ereignis: App bereitgestellt (app_deployed)');
    expect(res.body.parts.chat.text).toBe('Installation says v42');
    expect(res.body.placeholders).toMatchObject({
      'app.id': 'shop',
      'app.name': 'Shop',
      'app.host': 'web-1',
      'app.url': 'https://shop.example.com',
      'event.type': 'app_deployed',
      'event.displayName': 'App bereitgestellt',
      'data.build.commit': 'ac77098',
      link: 'https://herald.example.com/apps/shop',
      'delivery.id': 'dlv_preview',
    });
  });

  it('refuses a preview without an event type', async () => {
    const res = await preview({ event: { title: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('event.type');
  });
});

describe('overrides', () => {
  it("pick the notifier's most specific template, then the installation's, then the default", async () => {
    const res = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: {
        name: 'custom',
        channel: 'slack',
        target: { url: `${receiver.url}/custom` },
        events: ['app_deployed', 'app_crashed', 'x.other'],
        locale: 'de',
        templates: {
          'app_deployed/slack.text': 'Shipped {{ event.title }} ({{ data.build.commit }}{{ data.nothing.here }})',
          '@crash/de/slack.text': 'Absturz: {{ event.title }}',
          'slack.text': 'Generic {{ event.type }}',
        },
      },
    });
    expect(res.status).toBe(201);
    for (const body of [
      { type: 'app_deployed', title: 'v42', data: { build: { commit: 'ac77' } } },
      { type: 'app_crashed', title: 'OOM' },
      { type: 'x.other' },
    ]) {
      await herald.call('POST', '/v1/events', { key, body });
    }
    const texts = await eventually(
      async () => {
        const got = receiver.requests.filter((r) => r.path === '/custom').map((r) => JSON.parse(r.body).text);
        return got.length === 3 && got.sort();
      },
      10_000,
      'three Slack messages',
    );
    expect(texts).toEqual(['Absturz: OOM', 'Generic x.other', 'Shipped v42 (ac77)']);
  });

  it('refuse a template that does not parse, saying where', async () => {
    const res = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'broken', channel: 'email', target: { to: ['a@example.com'] }, templates: { 'email.subject': 'Hello {% if %}' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({
      path: 'templates.email.subject',
      message: expect.stringMatching(/does not parse: .*line:1, col:12/),
    });
    const badKey = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'broken', channel: 'email', target: { to: ['a@example.com'] }, templates: { 'pigeon.text': 'x' } },
    });
    expect(badKey.status).toBe(400);
  });
});

describe('safe rendering of hostile input', () => {
  it('escapes HTML in email HTML, &<> in Slack, and keeps subjects on one line', async () => {
    const { parts } = (
      await preview({
        event: {
          type: 'x',
          title: '<img src=x onerror=alert(1)>\r\nBcc: victim@example.com',
          message: '<!channel> & <https://evil.example|click here>',
        },
      })
    ).body;
    expect(parts.email.html).not.toContain('<img');
    expect(parts.email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(parts.email.subject).not.toMatch(/[\r\n]/);
    const slack = JSON.stringify(parts.slack);
    expect(slack).not.toContain('<!channel>');
    expect(slack).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click here&gt;');
  });

  it('cuts a long SMS to one segment on a grapheme boundary', async () => {
    const { parts } = (await preview({ event: { type: 'x', title: '🔥'.repeat(100) } })).body;
    expect(parts.sms.text.length).toBeLessThanOrEqual(70);
    expect(parts.sms.text.endsWith('…')).toBe(true);
    expect(parts.sms.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no broken surrogate pair
  });
});
