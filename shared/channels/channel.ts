import type { MessageSettings } from '../core/messages/render.js';
import type { OutboundPolicy } from './outbound.js';
import type { ChannelName, DeliveryMessage } from '../core/types.js';

/** What a provider answered for a sent delivery. */
export interface SendResult {
  statusCode?: number;
  providerMessageId?: string;
}

/** The SES port of the email channel (adapter: shared/aws/ses-email-sender.ts). */
export interface EmailSender {
  send(mail: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    headers: Record<string, string>;
  }): Promise<SendResult>;
}

/** The SNS port of the SMS channel (adapter: shared/aws/sns-sms-sender.ts). */
export interface SmsSender {
  send(sms: { to: string; text: string }): Promise<SendResult>;
}

/** What a channel may use to send. Each channel function passes only what it needs. */
export interface SendContext {
  email?: EmailSender;
  sms?: SmsSender;
  emailFrom?: string;
  /** Where HTTP channels may send (local mode: anywhere; AWS: https to public addresses). */
  outbound: OutboundPolicy;
  /** The installation's message settings: default language, template overrides, console URL. */
  messages?: MessageSettings;
  httpTimeoutMs: number;
  now: () => Date;
}

/**
 * One way a notification travels. A channel knows who its notifier target names, how to
 * hide the target's secrets, and how to send one delivery. `send` resolves on success and
 * throws PermanentDeliveryError or TransientDeliveryError otherwise. Its file also exports
 * the target's schema, apart, so that a channel function's bundle can leave zod out.
 */
export interface Channel<Target extends object = Record<string, unknown>> {
  readonly name: ChannelName;
  recipients(target: Target): string[];
  /** The target as the API shows it: secrets masked. */
  maskTarget(target: Target): Target;
  /** A recipient as the delivery log shows it. */
  maskRecipient(recipient: string): string;
  send(message: DeliveryMessage, context: SendContext): Promise<SendResult>;
}

/** Mask every part of a URL that may hold a token: the last path segment, query, userinfo. */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const parts = url.pathname.split('/');
    const last = parts.length - 1;
    if (parts.length > 2 && parts[last]) parts[last] = '****';
    const query = url.search ? '?****' : '';
    const auth = url.username || url.password ? '****@' : '';
    return `${url.protocol}//${auth}${url.host}${parts.join('/')}${query}`;
  } catch {
    return '****';
  }
}
