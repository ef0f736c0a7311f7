import type { SmsTarget } from './sms/target.js';

/** The addressing of a channel whose target is phone numbers (SNS, Twilio, Vonage): each number a recipient, shown as it is. */
export const phoneRecipients = {
  recipients: (target: SmsTarget): string[] => target.to,
  maskTarget: (target: SmsTarget): SmsTarget => target,
  maskRecipient: (recipient: string): string => recipient,
  endpoints: (): { field: string; url: string }[] => [],
};
