import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SendResult, SmsSender } from '../core/ports.js';

/** The SMS channel's port on SNS: Publish to a phone number, as a transactional message. */
export class SnsSmsSender implements SmsSender {
  constructor(private readonly sns: SNSClient) {}

  async send(sms: { to: string; text: string }): Promise<SendResult> {
    const out = await this.sns.send(
      new PublishCommand({
        PhoneNumber: sms.to,
        Message: sms.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Herald' },
        },
      }),
    );
    return { statusCode: out.$metadata.httpStatusCode ?? 200, ...(out.MessageId ? { providerMessageId: out.MessageId } : {}) };
  }
}
