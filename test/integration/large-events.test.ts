import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;
let ingestKey: string;

/** Three email notifiers of 50 recipients each: 150 deliveries of one event. */
const recipients = (team: string) => Array.from({ length: 50 }, (_, i) => `${team}${i}@big.example`);

beforeAll(async () => {
  // The test's DynamoDB client refuses expressions over DynamoDB's 4 KB, as AWS does.
  herald = await startTestHerald();
  ingestKey = await herald.createApp('big', {
    limits: { deliveriesPerEvent: 200 },
    notifiers: ['ops', 'dev', 'sec'].map((team) => ({ name: team, channel: 'email', target: { to: recipients(team) }, events: ['*'] })),
  });
  herald.startDelivering();
});
afterAll(() => herald.stop());

describe('an event with many deliveries', () => {
  it('stores and delivers 150 deliveries of one event: every recipient gets the mail', async () => {
    const posted = await herald.call('POST', '/v1/events', { key: ingestKey, body: { type: 'release_out', title: 'Release 7 is out' } });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ deliveries: 150 });

    const mailed = await eventually(
      async () => {
        const outbox = await herald.call('GET', '/_local/outbox/email');
        const to = new Set<string>(
          outbox.body.emails.filter((e: any) => e.subject.includes('Release 7 is out')).flatMap((e: any) => e.destination.to),
        );
        return to.size === 150 && to;
      },
      30_000,
      '150 mails in the outbox',
    );
    expect([...mailed].sort()).toEqual([...recipients('ops'), ...recipients('dev'), ...recipients('sec')].sort());

    const event = await herald.call('GET', `/v1/apps/big/events/${posted.body.eventId}`, { key: herald.adminKey });
    expect(event.status).toBe(200);
    const sent: string[] = [];
    let cursor = '';
    do {
      const log = await herald.call('GET', `/v1/apps/big/deliveries?eventId=${posted.body.eventId}&status=sent&limit=100${cursor}`, {
        key: herald.adminKey,
      });
      sent.push(...log.body.deliveries.map((d: any) => d.recipient));
      cursor = log.body.nextCursor ? `&cursor=${log.body.nextCursor}` : '';
    } while (cursor);
    expect(sent.sort()).toEqual([...mailed].sort());
  });
});
