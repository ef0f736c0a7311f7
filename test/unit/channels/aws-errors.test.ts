import { MailFromDomainNotVerifiedException, MessageRejected, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { InternalErrorException, InvalidParameterException, KMSThrottlingException, ThrottledException } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../../shared/channels/aws-errors.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../../../shared/errors.js';

/** SES's and SNS's own exceptions, as their clients throw them (with the HTTP status AWS answers). */
const answered = <T>(Exception: new (opts: any) => T, status: number): T =>
  new Exception({ message: 'from AWS', $metadata: { httpStatusCode: status } });

describe("an SES or SNS error, classified as the SDK's retry strategy does", () => {
  it('retries throttling, server errors, KMS throttling and no answer at all', () => {
    const transient = [
      answered(TooManyRequestsException, 429),
      answered(ThrottledException, 400),
      answered(KMSThrottlingException, 400),
      answered(InternalErrorException, 500),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('Bad gateway'), { name: 'Unknown', $metadata: { httpStatusCode: 502 } }),
    ];
    for (const err of transient) expect(classifyAwsError(err, 'SES SendEmail'), String(err)).toBeInstanceOf(TransientDeliveryError);
  });

  it('gives up on what another attempt would not change, naming the error', () => {
    const permanent = [
      answered(MessageRejected, 400),
      answered(MailFromDomainNotVerifiedException, 400),
      answered(InvalidParameterException, 400),
    ];
    for (const err of permanent) expect(classifyAwsError(err, 'SNS Publish'), String(err)).toBeInstanceOf(PermanentDeliveryError);
    expect(classifyAwsError(answered(MessageRejected, 400), 'SES SendEmail').message).toBe('SES SendEmail: MessageRejected: from AWS');
    expect(classifyAwsError(answered(MessageRejected, 400), 'SES SendEmail').statusCode).toBe(400);
  });
});
