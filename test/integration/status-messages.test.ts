import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * A status event without a title says what failed where, in every channel a person reads:
 * the email subject, the SMS, the chat text and the PagerDuty summary.
 */
let herald: TestHerald;
let receiver: Receiver;
let key: string;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  const local = (provider: string, path: string) => `${herald.standIns.url}/_local/${provider}${path}`;
  key = await herald.createApp('shop', {
    owner: 'owner@shop.example',
    notifiers: [
      { name: 'on call', channel: 'sms', target: { to: ['+4915112345678'] }, events: ['check.*', 'monitor.*'] },
      { name: 'slack', channel: 'slack', target: { url: `${receiver.url}/slack` }, events: ['check.*', 'monitor.*'] },
      { name: 'chat', channel: 'mattermost', target: { url: local('mattermost', '/hooks/abcdefghijklmnopqrstuvwxyz') }, events: ['*'] },
      { name: 'pager', channel: 'pagerduty', target: { routingKey: 'R0UT1NGKEY0000000000000000000011' }, events: ['*'] },
      { name: 'mail', channel: 'email', target: { to: ['ops@shop.example'] }, events: ['check.*', 'monitor.*'] },
    ],
  });
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

/** What each channel showed for the event whose words include `marker`. */
async function shown(marker: string) {
  return eventually(
    async () => {
      const email = (await herald.call('GET', '/_local/outbox/email')).body.emails.find(
        (m: any) => m.destination.to.includes('ops@shop.example') && m.subject.includes(marker),
      );
      const sms = (await herald.call('GET', '/_local/outbox/sms')).body.messages.find((m: any) => m.message.includes(marker));
      const slack = receiver.requests.map((r) => JSON.parse(r.body).text as string).find((t) => t.includes(marker));
      const chat = herald.standIns.delivered('mattermost').find((d) => String(d['text']).includes(marker));
      const pager = herald.standIns.delivered('pagerduty').find((d: any) => String(d.payload?.summary).includes(marker));
      const all = { email: email?.subject, sms: sms?.message, slack, chat: chat?.['text'], pager: (pager as any)?.payload.summary };
      return Object.values(all).every((v) => typeof v === 'string') && (all as Record<string, string>);
    },
    15_000,
    `every channel's message about ${marker}`,
  );
}

describe('status messages', () => {
  it('name the check, its target and its status (ERROR is critical)', async () => {
    const res = await herald.call('POST', '/v1/events', {
      key,
      body: { type: 'check.status_changed', data: { check: 'api-latency', status: 'ERROR', url: 'https://api.shop.example' } },
    });
    expect(res.status).toBe(202);
    const parts = await shown('api-latency');
    for (const text of Object.values(parts)) expect(text).toContain('Check api-latency (https://api.shop.example): ERROR');
    expect(parts['email']).toBe('[Shop] CRITICAL: Check api-latency (https://api.shop.example): ERROR');
    const [pager] = herald.standIns.delivered('pagerduty') as any[];
    expect(pager.payload.severity).toBe('critical');
  });

  it('name the monitor and what it watches', async () => {
    await herald.call('POST', '/v1/events', { key, body: { type: 'monitor.down', data: { target: 'https://shop.example.com' } } });
    const parts = await shown('shop.example.com');
    for (const text of Object.values(parts)) expect(text).toContain('Monitor down: https://shop.example.com');
    // The monitor's incident opens with it: the SMS ends with the link that acknowledges it.
    expect(parts['sms']).toMatch(/^Shop: Monitor down: https:\/\/shop\.example\.com \[critical\] http:\/\/127\.0\.0\.1:\d+\/ack\/\S+$/);
  });
});
