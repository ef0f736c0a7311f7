import { renderParts } from '../../core/messages/render.js';
import type { SendResult } from '../../core/ports.js';
import type { DeliveryMessage } from '../../core/types.js';
import { PermanentDeliveryError } from '../../errors.js';
import type { Channel, ChannelAddressing, SendContext } from '../channel.js';
import { clip, providerSettings, withSender } from '../channel.js';
import { answerJson, judge, sendHttp } from '../http-post.js';
import type { SmsTarget } from './sms/target.js';
import { senderOf } from './twilio-addressing.js';

const VOICE_LANGUAGE = { en: 'en-US', de: 'de-DE', fr: 'fr-FR' } as const;

/**
 * Twilio through the installation's account (`twilio.accountSid`, `.authToken`): SMS and
 * WhatsApp by the Messages resource, voice calls by the Calls resource with the text read
 * out (TwiML <Say>, twice). Form bodies, Basic auth; Twilio's error code and message go into
 * the delivery's error. WhatsApp: outside a 24 h conversation window WhatsApp takes only
 * pre-approved templates, which Herald does not send.
 */
export const twilioChannel = (addressing: ChannelAddressing<SmsTarget>): Channel<SmsTarget> =>
  withSender(addressing, { send: (message, context) => sendTwilio(addressing.name, message, context) });

async function sendTwilio(name: string, message: DeliveryMessage, context: SendContext): Promise<SendResult> {
  const settings = providerSettings(context, 'twilio');
  const parts = renderParts(message, context.messages, context.now());
  const to = message.delivery.recipient;
  let resource = 'Messages';
  let form: Record<string, string>;
  if (name === 'twilio_voice') {
    resource = 'Calls';
    const say = `<Say language="${VOICE_LANGUAGE[parts.locale]}" loop="2">${escapeXml(clip(parts.sms.text, 1500))}</Say>`;
    form = { To: to, From: required(senderOf(name, settings), 'twilio.from'), Twiml: `<Response>${say}</Response>` };
  } else if (name === 'twilio_whatsapp') {
    const from = required(senderOf(name, settings), 'twilio.whatsappFrom');
    form = { To: `whatsapp:${to}`, From: `whatsapp:${from}`, Body: clip(parts.chat.text, 1600) };
  } else {
    form = { To: to, From: required(senderOf(name, settings), 'twilio.from'), Body: parts.sms.text };
  }
  const call = {
    url: `${(settings.apiUrl ?? 'https://api.twilio.com').replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/${resource}.json`,
    label: `Twilio ${resource}`,
    readBody: true,
    contentType: 'application/x-www-form-urlencoded',
    headers: { authorization: `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}` },
    body: new URLSearchParams(form).toString(),
  };
  const answer = await sendHttp(call, context);
  const json = answerJson<{ code: number; message: string; sid: string }>(answer);
  const result = judge(answer, call, context, { detail: json?.code ? `${json.code} ${json.message ?? ''}` : undefined });
  return { ...result, ...(json?.sid ? { providerMessageId: json.sid } : {}) };
}

function required(value: string | undefined, setting: string): string {
  if (!value) throw new PermanentDeliveryError(`${setting} is not set in the provider settings`);
  return value;
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
