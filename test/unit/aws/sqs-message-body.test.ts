import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessageBody, encodeMessageBody } from '../../../shared/aws/sqs-message-body.js';
import type { DeliveryMessage } from '../../../shared/core/types.js';

/** The characters SQS accepts in a body: #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF. */
const SQS_ALLOWED = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd]*$/;

const message = (title: string): DeliveryMessage => ({
  v: 1,
  delivery: { id: 'dlv_1', eventId: 'evt_1', appId: 'shop', notifierId: 'ntf_1', channel: 'webhook', recipient: 'https://x.example/h' },
  event: {
    id: 'evt_1',
    appId: 'shop',
    type: 'audit.x',
    severity: 'info',
    title,
    occurredAt: '2026-11-29T00:00:00.000Z',
    receivedAt: '2026-11-29T00:00:00.000Z',
  },
  app: { id: 'shop', name: `Shop ${title}` },
  notifier: { id: 'ntf_1', appId: 'shop', name: 'hook', target: { url: 'https://x.example/h' } },
});

describe('a delivery message on SQS', () => {
  it.each(['deploy 🚀', 'a\uFFFEb\uFFFF', 'lone \uD800 surrogate', 'bell \u0007 and nul \u0000', 'Zürich, 東京, עברית'])(
    'travels as characters SQS accepts and comes back the same: %j',
    (title) => {
      const body = encodeMessageBody([message(title)]);
      expect(body).toMatch(SQS_ALLOWED);
      expect(body).toMatch(/^[\x20-\x7e]*$/);
      expect(decodeMessageBody(body)).toEqual([message(title)]);
    },
  );

  it('keeps any string whatsoever', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (title) => {
        const body = encodeMessageBody([message(title)]);
        return SQS_ALLOWED.test(body) && decodeMessageBody(body)[0]?.event.title === title;
      }),
    );
  });

  it('reads a body queued before the encoding, as plain JSON, one delivery (v1)', () => {
    expect(decodeMessageBody(JSON.stringify(message('plain')))).toEqual([message('plain')]);
  });

  it('carries the deliveries of one event once with the event, and gives each back whole', () => {
    const second = { ...message('two'), delivery: { ...message('two').delivery, id: 'dlv_2', recipient: 'https://y.example/h' } };
    const both = [message('two'), second];
    const body = encodeMessageBody(both);
    expect(body.match(/"title"/g)).toHaveLength(1);
    expect(decodeMessageBody(body)).toEqual(both);
  });
});
