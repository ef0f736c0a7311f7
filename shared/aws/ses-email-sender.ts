import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailSender, SendResult } from '../core/ports.js';

/** The email channel's port on SES (the SESv2 API): one SendEmail per delivery. */
export class SesEmailSender implements EmailSender {
  constructor(private readonly ses: SESv2Client) {}

  async send(mail: Parameters<EmailSender['send']>[0]): Promise<SendResult> {
    const out = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: [mail.to] },
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
            Headers: Object.entries(mail.headers).map(([Name, Value]) => ({ Name, Value })),
          },
        },
      }),
    );
    return { statusCode: out.$metadata.httpStatusCode ?? 200, ...(out.MessageId ? { providerMessageId: out.MessageId } : {}) };
  }
}
