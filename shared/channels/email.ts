import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { withSender } from './channel.js';
import { classifyAwsError } from './aws-errors.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const emailTarget = /* @__PURE__ */ (() =>
  z
    .object({
      to: z
        .array(z.email({ error: 'must be an email address' }))
        .min(1)
        .max(50),
    })
    .strict())();

export type EmailTarget = z.infer<typeof emailTarget>;

export const emailAddressing: ChannelAddressing<EmailTarget> = {
  name: 'email',
  recipients: (target) => target.to.map((a) => a.toLowerCase()),
  maskTarget: (target) => target,
  maskRecipient: (recipient) => recipient,
  endpoints: () => [],
};

/** Email through SES (SESv2 SendEmail): a subject, a plain-text and an HTML body. */
export const email: Channel<EmailTarget> = /* @__PURE__ */ withSender(emailAddressing, {
  async send(message, context) {
    if (!context.email || !context.emailFrom) throw new Error('email channel needs an EmailSender and emailFrom');
    const { subject, text, html } = renderParts(message, context.messages, context.now()).email;
    try {
      return await context.email.send({
        from: context.emailFrom,
        to: message.delivery.recipient,
        subject,
        text,
        html,
        headers: { 'X-Herald-Delivery-Id': message.delivery.id, 'X-Herald-Event-Type': message.event.type },
      });
    } catch (err) {
      throw classifyAwsError(err, 'SES SendEmail');
    }
  },
});
