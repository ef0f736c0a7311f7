import { renderParts } from '../../../core/messages/render.js';
import { smsEncoding } from '../../../core/sms-text.js';
import type { Channel } from '../../channel.js';
import { providerSettings, withSender } from '../../channel.js';
import { answerJson, judge, sendHttp } from '../../http-post.js';
import type { SmsTarget } from '../sms/target.js';
import { addressing } from './addressing.js';

/** Vonage's per-message statuses that are worth another try: throttled, internal error. */
const TRANSIENT_STATUS = new Set(['1', '5']);

/**
 * Vonage (Nexmo) SMS API through the installation's account (`vonage.apiKey`, `.apiSecret`,
 * `.from`): the text fitted to one segment, `unicode` when it needs UCS-2. Vonage answers
 * 200 even when it refuses: each message carries a status ('0' sent); '1' (throttled) and
 * '5' (internal error) are retried, the others are permanent.
 */
export const sender: Channel<SmsTarget> = withSender(addressing, {
  async send(message, context) {
    const settings = providerSettings(context, 'vonage');
    const text = renderParts(message, context.messages, context.now()).sms.text;
    const call = {
      url: `${(settings.apiUrl ?? 'https://rest.nexmo.com').replace(/\/$/, '')}/sms/json`,
      label: 'Vonage SMS',
      readBody: true,
      body: JSON.stringify({
        api_key: settings.apiKey,
        api_secret: settings.apiSecret,
        from: settings.from,
        to: message.delivery.recipient.replace(/^\+/, ''),
        text,
        ...(smsEncoding(text) === 'UCS-2' ? { type: 'unicode' } : {}),
      }),
    };
    const answer = await sendHttp(call, context);
    const status = answerJson<{ messages: { status: string; 'error-text'?: string; 'message-id'?: string }[] }>(answer)?.messages?.[0];
    if (answer.status < 300 && status?.status !== '0') {
      return judge(answer, call, context, {
        detail: `status ${status?.status ?? '?'} ${status?.['error-text'] ?? 'no message status in the answer'}`,
        failedAs: status && TRANSIENT_STATUS.has(status.status) ? 'transient' : 'permanent',
      });
    }
    return { ...judge(answer, call, context), ...(status?.['message-id'] ? { providerMessageId: status['message-id'] } : {}) };
  },
});
