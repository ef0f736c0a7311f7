import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../../shared/core/webhook-signature.js';

describe('Standard Webhooks signatures', () => {
  // The example from the Standard Webhooks specification.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';

  it("match the specification's example", () => {
    expect(signWebhook(secret, id, timestamp, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verify only the exact id, timestamp and body', () => {
    const sig = signWebhook(secret, id, timestamp, body);
    expect(verifyWebhook(secret, id, timestamp, body, `v1,bogus ${sig}`)).toBe(true);
    expect(verifyWebhook(secret, id, timestamp + 1, body, sig)).toBe(false);
    expect(verifyWebhook(secret, id, timestamp, `${body} `, sig)).toBe(false);
  });
});
