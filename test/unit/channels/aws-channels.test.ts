import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesEmailSender } from '../../../shared/aws/ses-email-sender.js';
import { SnsSmsSender } from '../../../shared/aws/sns-sms-sender.js';
import { providerClientConfig } from '../../../shared/aws/wiring.js';
import { sender as email } from '../../../shared/channels/email/email/sender.js';
import { sender as sms } from '../../../shared/channels/sms/sms/sender.js';
import { target as smsTarget } from '../../../shared/channels/sms/sms/target.js';
import type { Config } from '../../../shared/config.js';
import type { DeliveryMessage } from '../../../shared/core/types.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../../../shared/errors.js';
import { startEmulators, type Emulators } from '../../../infra/local/emulators.js';

let emulators: Emulators;
let config: Config;
beforeAll(async () => {
  emulators = await startEmulators();
  config = {
    region: 'us-east-1',
    tableName: '-',
    queueUrls: {},
    dlqUrls: {},
    retrySchedule: [1, 1, 1],
    disableAfterDays: 5,
    retentionDays: 30,
    messages: {},
    emailFrom: 'herald@test.example',
    endpoints: {},
    providers: {},
    local: true,
  };
});
afterAll(() => emulators.stop());

const now = () => new Date('2026-11-24T10:00:00Z');

function message(channel: 'email' | 'sms', recipient: string, title = 'Crash in checkout'): DeliveryMessage {
  return {
    v: 1,
    delivery: {
      id: `dlv_${Math.random().toString(36).slice(2)}`,
      eventId: 'evt_1',
      appId: 'shop',
      notifierId: 'ntf_1',
      channel,
      recipient,
    },
    event: {
      id: 'evt_1',
      appId: 'shop',
      type: 'app_crashed',
      severity: 'critical',
      title,
      message: 'TypeError: x is undefined',
      occurredAt: '2026-11-24T09:59:00.000Z',
      receivedAt: '',
    },
    app: { id: 'shop', name: 'Shop' },
    notifier: { id: 'ntf_1', name: 'n', target: {} },
  };
}

describe('email channel on SES (aws-ses-v2-local)', () => {
  it('sends one mail from HERALD_EMAIL_FROM with a subject, a text and an HTML body', async () => {
    const sender = new SesEmailSender(new SESv2Client(providerClientConfig(config, emulators.ses)));
    const m = message('email', 'oncall@example.com');
    await email.send(m, { email: sender, emailFrom: config.emailFrom, httpTimeoutMs: 1000, now, outbound: { allowPrivate: true } });
    const store = (await (await fetch(`${emulators.ses}/store`)).json()) as { emails: any[] };
    const mail = store.emails.find((e) => e.headers?.some((h: any) => h.value === m.delivery.id));
    expect(mail).toBeDefined();
    expect(mail.from).toBe('herald@test.example');
    expect(mail.destination.to).toEqual(['oncall@example.com']);
    expect(mail.subject).toBe('[Shop] CRITICAL: Crash in checkout');
    expect(mail.body.text).toContain('TypeError: x is undefined');
    expect(mail.body.html).toContain('<h2>Crash in checkout</h2>');
  });

  it('reports an unreachable SES as transient', async () => {
    const sender = new SesEmailSender(new SESv2Client(providerClientConfig(config, 'http://127.0.0.1:9')));
    const err = await email
      .send(message('email', 'a@example.com'), {
        email: sender,
        emailFrom: 'x@example.com',
        httpTimeoutMs: 1000,
        now,
        outbound: { allowPrivate: true },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientDeliveryError);
  });
});

describe('sms channel on SNS Publish (the SMS outbox)', () => {
  it('publishes a transactional SMS to the number, in one segment', async () => {
    const sender = new SnsSmsSender(new SNSClient(providerClientConfig(config, emulators.sms.endpoint)));
    await sms.send(message('sms', '+4915112345678', 'x'.repeat(300)), {
      sms: sender,
      httpTimeoutMs: 1000,
      now,
      outbound: { allowPrivate: true },
    });
    const sent = emulators.sms.messages.at(-1);
    expect(sent?.phoneNumber).toBe('+4915112345678');
    expect(sent?.smsType).toBe('Transactional');
    expect(sent?.message.length).toBeLessThanOrEqual(160);
    expect(sent?.message.startsWith('Shop: xxx')).toBe(true);
  });

  it('reports a number SNS refuses as permanent', async () => {
    const sender = new SnsSmsSender(new SNSClient(providerClientConfig(config, emulators.sms.endpoint)));
    const err = await sms
      .send(message('sms', '12345'), { sms: sender, httpTimeoutMs: 1000, now, outbound: { allowPrivate: true } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect((err as Error).message).toContain('InvalidParameter');
  });

  it('accepts only valid E.164 numbers as targets (parsed asynchronously: the check loads its library on first use)', async () => {
    expect((await smsTarget.safeParseAsync({ to: ['+4915112345678'] })).success).toBe(true);
    for (const bad of ['015112345678', '+49 151 1234', '+1555', '+999999999999', 'phone']) {
      expect((await smsTarget.safeParseAsync({ to: [bad] })).success, bad).toBe(false);
    }
  });
});
