import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { withSender } from '../../channel.js';
import { classifyAwsError } from '../../aws-errors.js';
import type { EmailTarget } from './target.js';
import { addressing } from './addressing.js';

/** Email through SES (SESv2 SendEmail): a subject, a plain-text and an HTML body. */
export const sender: Channel<EmailTarget> = withSender(addressing, {
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
