import { describeEventType } from './catalog.js';
import type { DeliveryMessage } from './types.js';
import { fitOneSegment } from './sms-text.js';

/** Every message part Herald sends, per channel. */
export interface RenderedParts {
  email: { subject: string; text: string; html: string };
  sms: { text: string };
  slack: { text: string; blocks: unknown[] };
}

const SEVERITY_MARK = { info: 'ℹ️', warning: '⚠️', critical: '🚨' } as const;

/**
 * The default message of an event for every channel: facts first (which app, what
 * happened, how severe, when), each part escaped for where it goes.
 */
export function renderParts(message: DeliveryMessage): RenderedParts {
  const { event, app } = message;
  const kind = describeEventType(event.type).displayName;
  const headline = event.title ?? kind;
  const when = event.occurredAt;
  const link = app.metadata?.['url'] ?? app.metadata?.['website'];
  const facts: [string, string][] = [
    ['App', `${app.name} (${app.id})`],
    ['Event', `${kind} (${event.type})`],
    ['Severity', event.severity],
    ['Time', when],
    ...(link ? ([['Link', link]] as [string, string][]) : []),
  ];

  const subject = oneLine(`[${app.name}] ${event.severity === 'info' ? '' : `${event.severity.toUpperCase()}: `}${headline}`);
  const text = [headline, ...(event.message ? ['', event.message] : []), '', ...facts.map(([k, v]) => `${k}: ${v}`)].join('\n');
  const html =
    `<!doctype html><html><body style="font-family:sans-serif">` +
    `<h2>${escapeHtml(headline)}</h2>` +
    (event.message ? `<p>${escapeHtml(event.message)}</p>` : '') +
    `<table>${facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>` +
    `<p style="color:#888">Sent by Herald. Delivery ${escapeHtml(message.delivery.id)}</p></body></html>`;

  const slackHeadline = `${SEVERITY_MARK[event.severity]} *${escapeMrkdwn(app.name)}*: ${escapeMrkdwn(headline)}`;
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: slackHeadline } },
    ...(event.message ? [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(event.message) } }] : []),
    {
      type: 'context',
      elements: facts.slice(1).map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}:* ${escapeMrkdwn(v)}` })),
    },
  ];

  const smsText = fitOneSegment(
    oneLine(
      `${app.name}: ${headline}${event.severity === 'info' ? '' : ` [${event.severity}]`}${event.message ? ` - ${event.message}` : ''}`,
    ),
  );

  return {
    email: { subject, text, html },
    sms: { text: smsText },
    slack: { text: escapeMrkdwn(`${app.name}: ${headline} (${event.severity}) at ${when}`), blocks },
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Slack's mrkdwn escaping: only `&`, `<` and `>` are control characters. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** No CR or LF: a subject or header line must not be able to start a new header. */
export function oneLine(s: string): string {
  return s
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}
