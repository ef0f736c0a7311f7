import { describe, expect, it } from 'vitest';
import { backlogOf, destinationOf, mayCoalesce, nextSlot, paceOf, parseRate } from '../../../shared/core/pacing.js';
import { deliveryMessage } from '../../support/delivery-message.js';

describe('pacing: rates and destinations', () => {
  it('reads rates as the provider settings write them', () => {
    expect(parseRate('14')).toEqual({ perSecond: 14, burst: 14 });
    expect(parseRate('14/s')).toEqual({ perSecond: 14, burst: 14 });
    expect(parseRate('20/min')).toEqual({ perSecond: 20 / 60, burst: 1 });
    expect(parseRate('1/s burst 3')).toEqual({ perSecond: 1, burst: 3 });
    expect(parseRate('fast')).toBeUndefined();
    expect(parseRate('0/s')).toBeUndefined();
  });

  it('paces Slack per webhook at its published 1/s, bursts of 3, with the margin: 1.05 s apart, 2 at once', () => {
    const a = destinationOf(deliveryMessage('slack', { url: 'https://hooks.slack.com/services/T1/B1/x' }));
    const b = destinationOf(deliveryMessage('slack', { url: 'https://hooks.slack.com/services/T1/B2/y' }));
    expect(a?.rate).toEqual({ perSecond: 1, burst: 3 });
    expect(a?.key).not.toBe(b?.key);
    expect(a?.key).not.toContain('hooks.slack.com'); // the URL is a secret: hashed
    expect(paceOf({ perSecond: 1, burst: 3 })).toEqual({ intervalMs: 1050, toleranceMs: 1050 });
  });

  it('leaves webhooks and email unpaced unless a notifier or the provider settings give a rate', () => {
    const hook = deliveryMessage('webhook', { url: 'https://example.com/h' });
    expect(destinationOf(hook)).toBeUndefined();
    expect(destinationOf({ ...hook, notifier: { ...hook.notifier, rate: { perSecond: 5, burst: 1 } } })?.rate).toEqual({
      perSecond: 5,
      burst: 1,
    });
    const mail = deliveryMessage('email', { to: ['a@example.com'] });
    expect(destinationOf(mail)).toBeUndefined();
    const other = deliveryMessage('email', { to: ['b@example.com'] });
    const ses = { ses: { rate: '14/s' } };
    expect(destinationOf(mail, ses)?.rate).toEqual({ perSecond: 14, burst: 14 });
    expect(destinationOf(mail, ses)?.key).toBe(destinationOf(other, ses)?.key); // one SES account
    expect(destinationOf(hook, { pacing: { webhook: '2/s' } })?.rate).toEqual({ perSecond: 2, burst: 2 });
  });

  it('paces Telegram per chat, group chats at 20 a minute, and Twilio per sender number', () => {
    expect(destinationOf(deliveryMessage('telegram', { chatId: '12345' }))?.rate).toEqual({ perSecond: 1, burst: 1 });
    expect(destinationOf(deliveryMessage('telegram', { chatId: '-100123' }))?.rate).toEqual({ perSecond: 1 / 3, burst: 1 });
    const twilio = { twilio: { accountSid: 'AC1', authToken: 't', from: '+15005550006' } };
    const one = destinationOf(deliveryMessage('twilio_sms', { to: ['+4915112345678'] }), twilio);
    const two = destinationOf(deliveryMessage('twilio_sms', { to: ['+4915112345679'] }), twilio);
    expect(one?.key).toBe(two?.key);
  });

  it('never coalesces incidents or webhooks', () => {
    expect(mayCoalesce('pagerduty')).toBe(false);
    expect(mayCoalesce('opsgenie')).toBe(false);
    expect(mayCoalesce('webhook')).toBe(false);
    expect(mayCoalesce('slack')).toBe(true);
  });
});

describe('pacing: GCRA', () => {
  const pace = paceOf({ perSecond: 1, burst: 3 });
  it('lets the burst go at once, then one slot an interval, and counts the backlog from the tat', () => {
    let tat = 0;
    const slots: number[] = [];
    for (let i = 0; i < 5; i++) {
      const slot = nextSlot(tat, 10_000, pace);
      slots.push(slot.at - 10_000);
      tat = slot.tat;
    }
    expect(slots).toEqual([0, 0, 1050, 2100, 3150]);
    expect(backlogOf(tat, 10_000, pace)).toBe(3); // 1050, 2100 and 3150 ahead
    expect(backlogOf(tat, 20_000, pace)).toBe(0);
  });
});
