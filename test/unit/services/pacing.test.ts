import { describe, expect, it } from 'vitest';
import { Engine } from '../../../infra/local/engine/engine.js';
import { EmbeddedPacingStore } from '../../../infra/local/engine/pacing-store.js';
import { Pacing } from '../../../shared/services/pacing.js';
import { deliveryMessage } from '../../support/delivery-message.js';

/** The buckets in the embedded engine's table (what local mode keeps them in): no stand-in store to drift from the real one. */
async function buckets(): Promise<EmbeddedPacingStore> {
  return new EmbeddedPacingStore((await Engine.open()).table);
}

describe("pacing: a notifier's own rate", () => {
  it('paces its own deliveries only: another SMS through the same Twilio sender is not held', async () => {
    const twilio = { twilio: { accountSid: 'AC1', authToken: 't', from: '+15005550006' } };
    const pacing = new Pacing(await buckets(), () => Date.parse('2026-11-30T12:00:00Z'));
    const slow = (to: string) => {
      const m = deliveryMessage('twilio_sms', { to: [to] });
      return { ...m, notifier: { ...m.notifier, id: 'ntf_slow', rate: { perSecond: 1 / 60, burst: 1 } } };
    };
    const mine = await pacing.pace([slow('+4915112345678'), slow('+4915112345679')], twilio);
    expect(mine.now).toHaveLength(1);
    expect(mine.later.map((l) => l.seconds)).toEqual([63]); // its own 1/min, with the margin

    const other = deliveryMessage('twilio_sms', { to: ['+4915112345670'] });
    const theirs = await pacing.pace([{ ...other, notifier: { ...other.notifier, id: 'ntf_other' } }], twilio);
    expect(theirs.now.map((m) => m.delivery.recipient)).toEqual(['+4915112345670']);
    expect(theirs.later).toEqual([]);
  });
});
