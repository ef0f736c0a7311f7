import { randomBytes } from 'node:crypto';
import { formOf, isString, jsonOf, refuse, type StandIn } from './stand-in.js';

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Twilio's REST API: POST /2010-04-01/Accounts/{Sid}/Messages.json (SMS, WhatsApp with
 * `whatsapp:` numbers) and /Calls.json (TwiML), Basic auth with the account SID and auth
 * token, form bodies, Twilio's error codes; 201.
 */
export const twilioStandIn: StandIn = {
  provider: 'twilio',
  handle(req, settings) {
    const error = (status: number, code: number, message: string) =>
      refuse(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    const m = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/(Messages|Calls)\.json$/.exec(req.path);
    if (!m) error(404, 20404, 'The requested resource was not found');
    const credentials = Buffer.from(String(req.headers['authorization'] ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
    const twilio = settings.twilio;
    if (!twilio || m?.[1] !== twilio.accountSid || credentials !== `${twilio.accountSid}:${twilio.authToken}`)
      error(401, 20003, 'Authenticate');
    if (req.method !== 'POST') error(405, 20004, 'Method not allowed');
    const form = formOf(req, () => error(400, 21601, 'Invalid body'));
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    if (m?.[2] === 'Messages') {
      const whatsapp = to.startsWith('whatsapp:');
      if (!E164.test(to.replace(/^whatsapp:/, ''))) error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (whatsapp !== from.startsWith('whatsapp:')) error(400, 63007, 'Twilio could not find a Channel with the specified From address');
      if (from.replace(/^whatsapp:/, '') !== (whatsapp ? twilio?.whatsappFrom : twilio?.from))
        error(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
      const body = form.get('Body') ?? '';
      if (!body) error(400, 21602, 'Message body is required.');
      if (body.length > 1600) error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      const sid = `SM${randomBytes(16).toString('hex')}`;
      return {
        status: 201,
        json: { sid, status: 'queued', to, from, body },
        delivered: { kind: whatsapp ? 'whatsapp' : 'sms', sid, to, from, body },
      };
    }
    if (!E164.test(to)) error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (from !== twilio?.from) error(400, 21210, `The source phone number provided, ${from}, is not yet verified for your account.`);
    const twiml = form.get('Twiml') ?? '';
    if (!/^<Response>[\s\S]*<\/Response>$/.test(twiml)) error(400, 21205, 'Twiml is not valid TwiML.');
    if (twiml.length > 4000) error(400, 21219, 'Twiml can not be longer than 4000 characters.');
    const sid = `CA${randomBytes(16).toString('hex')}`;
    return { status: 201, json: { sid, status: 'queued', to, from }, delivered: { kind: 'call', sid, to, from, twiml } };
  },
};

/**
 * Vonage SMS API: POST /sms/json (JSON or form) with api_key and api_secret; it answers 200
 * even when it refuses, with a status per message ('0' sent, '1' throttled, '4' bad
 * credentials...).
 */
export const vonageStandIn: StandIn = {
  provider: 'vonage',
  handle(req, settings) {
    const status = (code: string, text: string) => refuse(200, { 'message-count': '1', messages: [{ status: code, 'error-text': text }] });
    if (req.method !== 'POST' || req.path !== '/sms/json')
      refuse(404, { type: 'https://developer.vonage.com/api-errors#not-found', title: 'Not Found' });
    const body = String(req.headers['content-type']).startsWith('application/json')
      ? jsonOf(req, () => status('2', 'Missing params'))
      : Object.fromEntries(formOf(req, () => status('2', 'Missing params')));
    if (!body['api_key'] || !body['api_secret'] || !body['from'] || !body['to'] || !body['text']) status('2', 'Missing params');
    if (body['api_key'] !== settings.vonage?.apiKey || body['api_secret'] !== settings.vonage?.apiSecret) status('4', 'Bad Credentials');
    if (!/^[1-9]\d{6,14}$/.test(String(body['to']))) status('3', 'Invalid to number');
    if (!isString(body['from'], 15)) status('15', 'Illegal Sender Address - rejected');
    const id = randomBytes(16).toString('hex');
    return {
      status: 200,
      json: {
        'message-count': '1',
        messages: [
          { to: body['to'], 'message-id': id, status: '0', 'remaining-balance': '10.00', 'message-price': '0.0333', network: '26202' },
        ],
      },
      delivered: { id, to: body['to'], from: body['from'], text: body['text'], type: body['type'] ?? 'text' },
    };
  },
};

export const smsStandIns = (): StandIn[] => [twilioStandIn, vonageStandIn];
