import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeptList } from './kept.js';

/** One SMS that local mode "sent". */
export interface OutboxSms {
  messageId: string;
  phoneNumber: string;
  message: string;
  smsType?: string;
  senderId?: string;
  at: string;
}

export interface SmsOutbox {
  endpoint: string;
  /** The latest 10,000. */
  readonly messages: OutboxSms[];
  close(): Promise<void>;
}

/**
 * The SMS outbox: a small server that answers SNS `Publish` to a phone number (the query
 * protocol the SDK speaks: a form body in, XML out) and keeps what it was given. No npm
 * emulator does this (TOOLCHAIN.md). Like SNS, it refuses a number that is not E.164.
 * With a `file` (local mode's data dir), what it was given outlives a restart.
 */
export async function startSmsOutbox(port = 0, host = '127.0.0.1', file?: string): Promise<SmsOutbox> {
  const messages = new KeptList<OutboxSms>(file);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const reply = (status: number, xml: string) => {
        res.writeHead(status, { 'content-type': 'text/xml' });
        res.end(xml);
      };
      if (req.method !== 'POST' || form.get('Action') !== 'Publish') {
        return reply(400, errorXml('InvalidAction', `The SMS outbox answers Publish only, not ${form.get('Action') ?? req.method}`));
      }
      const phoneNumber = form.get('PhoneNumber') ?? '';
      const message = form.get('Message') ?? '';
      if (!/^\+[1-9]\d{6,14}$/.test(phoneNumber)) return reply(400, errorXml('InvalidParameter', 'Invalid parameter: PhoneNumber'));
      if (!message) return reply(400, errorXml('InvalidParameter', 'Invalid parameter: Message'));
      const attributes = messageAttributes(form);
      const messageId = randomUUID();
      messages.push({
        messageId,
        phoneNumber,
        message,
        ...(attributes['AWS.SNS.SMS.SMSType'] ? { smsType: attributes['AWS.SNS.SMS.SMSType'] } : {}),
        ...(attributes['AWS.SNS.SMS.SenderID'] ? { senderId: attributes['AWS.SNS.SMS.SenderID'] } : {}),
        at: new Date().toISOString(),
      });
      reply(
        200,
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
          `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${bound}`,
    messages: messages.items,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `MessageAttributes.entry.N.Name` / `.Value.StringValue` pairs. */
function messageAttributes(form: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    out[form.get(`MessageAttributes.entry.${n}.Name`) as string] = form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '';
  }
  return out;
}

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}
