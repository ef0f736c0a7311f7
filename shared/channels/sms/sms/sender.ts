import { renderParts } from '../../../core/messages/render.js';
import { classifyAwsError } from '../../aws-errors.js';
import type { Channel } from '../../channel.js';
import { withSender } from '../../channel.js';
import type { SmsTarget } from './target.js';
import { addressing } from './addressing.js';

/** SMS through SNS Publish to a phone number, transactional, fitted to one segment. */
export const sender: Channel<SmsTarget> = withSender(addressing, {
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
