import { isValidPhoneNumber } from 'libphonenumber-js';
import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { withSender } from './channel.js';
import { classifyAwsError } from './aws-errors.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const smsTarget = /* @__PURE__ */ (() => {
  const e164 = z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 number such as +4915112345678' })
    .refine((n) => isValidPhoneNumber(n), { error: 'is not a valid phone number' });
  return z.object({ to: z.array(e164).min(1).max(20) }).strict();
})();

export type SmsTarget = z.infer<typeof smsTarget>;

export const smsAddressing: ChannelAddressing<SmsTarget> = {
  name: 'sms',
  recipients: (target) => target.to,
  maskTarget: (target) => target,
  maskRecipient: (recipient) => recipient,
  endpoints: () => [],
};

/** SMS through SNS Publish to a phone number, transactional, fitted to one segment. */
export const sms: Channel<SmsTarget> = /* @__PURE__ */ withSender(smsAddressing, {
  async send(message, context) {
    if (!context.sms) throw new Error('sms channel needs an SmsSender');
    try {
      return await context.sms.send({
        to: message.delivery.recipient,
        text: renderParts(message, context.messages, context.now()).sms.text,
      });
    } catch (err) {
      throw classifyAwsError(err, 'SNS Publish');
    }
  },
});
