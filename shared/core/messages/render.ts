import { Liquid, type Template } from 'liquidjs';
import { describeEventType } from '../catalog.js';
import { formatDuration } from '../duration.js';
import { fitOneSegment, fitSegments } from '../sms-text.js';
import { isGroupNotice } from '../grouping.js';
import { subjectOf } from '../state-change.js';
import type { DeliveryMessage } from '../types.js';
import { isLocale, TEXTS, type Locale, type Texts } from './locales.js';
import { DEFAULT_TEMPLATES, MESSAGE_PARTS, type MessagePart } from './templates.js';

/** Installation-wide message settings: a default language, template overrides, the console's URL. */
export interface MessageSettings {
  locale?: string;
  templates?: Record<string, string>;
  consoleUrl?: string;
}

export interface RenderedParts {
  locale: Locale;
  email: { subject: string; text: string; html: string };
  sms: { text: string };
  slack: { text: string; blocks: unknown[] };
  /** Chat, push and incident channels: the whole text, or a title (one line) and a body. */
  chat: { text: string; title: string; body: string };
  placeholders: Record<string, unknown>;
}

const SEVERITY_MARK = { info: 'ℹ️', warning: '⚠️', critical: '🚨' } as const;

// Liquid runs no code from templates; the limits keep a hostile override from hogging a function.
const options = {
  strictVariables: false,
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: 100_000,
  renderLimit: 200,
  memoryLimit: 10_000_000,
};
// Created on first use, not at import: a bundle that imports this file and never renders
// (ingest's, the sweeper's) then runs none of it, and esbuild leaves liquidjs out of it.
let engines: { plain: Liquid; html: Liquid; mrkdwn: Liquid } | undefined;
function engineOf(part: MessagePart): Liquid {
  engines ??= {
    plain: new Liquid(options),
    html: new Liquid({ ...options, outputEscape: 'escape' }),
    mrkdwn: new Liquid({ ...options, outputEscape: (value: unknown) => escapeMrkdwn(String(value ?? '')) }),
  };
  return part === 'email.html' ? engines.html : part.startsWith('slack.') ? engines.mrkdwn : engines.plain;
}

/** Parses a template; throws with the line and column of an error (overrides are checked when saved). */
export function parseTemplate(source: string, part: MessagePart = 'email.text'): Template[] {
  return engineOf(part).parse(source);
}

/** What is wrong with template overrides: a key that names no message part, a template that does not parse. */
export function overrideProblems(templates: Record<string, string>): { key: string; message: string }[] {
  return Object.entries(templates).flatMap(([key, source]) => {
    const part = key.split('/').at(-1) as MessagePart;
    if (!(MESSAGE_PARTS as readonly string[]).includes(part)) return [{ key, message: 'names no message part' }];
    try {
      parseTemplate(source, part);
      return [];
    } catch (err) {
      return [{ key, message: `does not parse: ${(err as Error).message}` }];
    }
  });
}

/**
 * The installation's overrides must all be usable: checked where they are set (at synth)
 * and when the api starts, so that the functions that only deliver need no parser to start.
 */
export function assertOverrides(templates: Record<string, string>, source: string): void {
  const [problem] = overrideProblems(templates);
  if (problem) throw new Error(`Herald: the template override "${problem.key}" in ${source} ${problem.message}`);
}

const parsed = new Map<string, Template[]>();
function compiled(source: string, part: MessagePart): Template[] {
  const key = `${part === 'email.html' ? 'h' : part.startsWith('slack.') ? 'm' : 'p'}:${source}`;
  let templates = parsed.get(key);
  if (!templates) {
    templates = parseTemplate(source, part);
    if (parsed.size > 500) parsed.clear();
    parsed.set(key, templates);
  }
  return templates;
}

/**
 * Every part of an event's message, for every channel: the notifier's overrides first,
 * then the installation's, then the defaults, in the notifier's language (else the app's,
 * else the installation's, else English). Each part is escaped for where it goes. A
 * placeholder that does not exist renders empty; an override that fails to render falls
 * back to the default: a message never fails a delivery.
 */
export function renderParts(message: DeliveryMessage, settings: MessageSettings = {}, now: Date = new Date()): RenderedParts {
  const locale = [message.notifier.locale, message.app.locale, settings.locale].find(isLocale) ?? 'en';
  const placeholders = placeholdersOf(message, locale, settings, now);
  const category = describeEventType(message.event.type).category;
  const keysOf = (part: MessagePart) => [
    `${message.event.type}/${locale}/${part}`,
    `${message.event.type}/${part}`,
    `@${category}/${locale}/${part}`,
    `@${category}/${part}`,
    `${locale}/${part}`,
    part,
  ];
  const render = (part: MessagePart): string => {
    for (const overrides of [message.notifier.templates, settings.templates]) {
      const key = overrides && keysOf(part).find((k) => overrides[k] !== undefined);
      if (!key || !overrides) continue;
      try {
        return engineOf(part).renderSync(compiled(overrides[key] as string, part), placeholders) as string;
      } catch {
        break; // the default below
      }
    }
    return engineOf(part).renderSync(compiled(DEFAULT_TEMPLATES[part], part), placeholders) as string;
  };
  const out = Object.fromEntries(MESSAGE_PARTS.map((p) => [p, render(p)])) as Record<MessagePart, string>;
  return {
    locale,
    email: { subject: oneLine(out['email.subject']), text: out['email.text'], html: out['email.html'] },
    sms: { text: smsWithLink(oneLine(out['sms.text']), message.event.incident?.acknowledgeUrl) },
    slack: {
      text: out['slack.text'],
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: out['slack.body'] } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: out['slack.context'] }] },
      ],
    },
    chat: { text: out['chat.text'], title: oneLine(out['chat.title']), body: out['chat.body'] },
    placeholders,
  };
}

/**
 * What templates can use: `{{ app.name }}`, `{{ event.headline }}`, `{{ data.build.commit }}`, ...
 * A value that is not there is undefined, not '': in Liquid an empty string is truthy,
 * and `{% if event.message %}` must skip a message that does not exist.
 */
export function placeholdersOf(message: DeliveryMessage, locale: Locale, settings: MessageSettings, now: Date): Record<string, unknown> {
  const { event, app, delivery } = message;
  const texts = { ...TEXTS.en, ...TEXTS[locale], types: { ...TEXTS[locale].types } };
  const info = describeEventType(event.type);
  const displayName = texts.types[event.type] ?? info.displayName;
  const timeZone = message.notifier.timeZone ?? 'UTC';
  const data = event.data ?? {};
  const previousSeconds = typeof data['previousStatusSeconds'] === 'number' ? data['previousStatusSeconds'] : undefined;
  const url = app.metadata?.['url'];
  const website = app.metadata?.['website'];
  const status = typeof data['status'] === 'string' ? data['status'] : undefined;
  const subject = subjectOf(event);
  return {
    app: { id: app.id, name: app.name, host: app.metadata?.['host'], website, url },
    event: {
      id: event.id,
      type: event.type,
      displayName,
      category: info.category,
      severity: event.severity,
      severityLabel: texts.severity[event.severity],
      mark: SEVERITY_MARK[event.severity],
      title: event.title,
      message: event.message,
      subject,
      headline: event.title ?? headlineOf(displayName, subject, typeof data['check'] === 'string' ? status : undefined, texts),
      time: formatTime(new Date(event.occurredAt), locale, timeZone),
      status,
      previousStatus: typeof data['previousStatus'] === 'string' ? data['previousStatus'] : undefined,
      since: previousSeconds === undefined ? undefined : formatDuration(previousSeconds, texts.units),
    },
    data,
    source: event.source ?? {},
    link: settings.consoleUrl ? `${settings.consoleUrl.replace(/\/$/, '')}/apps/${encodeURIComponent(app.id)}` : (url ?? website),
    /** What a person can do from the message: acknowledge a failure's incident. */
    links: { acknowledge: event.incident?.acknowledgeUrl },
    incident: event.incident ? { id: event.incident.id } : undefined,
    /** A group's notification (core/grouping.ts): count, items (the first 20), more, firing, resolved. */
    group: isGroupNotice(event.type) ? data['group'] : undefined,
    now: formatTime(now, locale, timeZone),
    timeZone,
    delivery: { id: delivery.id },
    t: { labels: texts.labels, severity: texts.severity, sentBy: texts.sentBy },
  };
}

/**
 * Without a title, a status event says what failed where: "Check api-latency
 * (https://api.example.com): ERROR", "Monitor down: https://shop.example.com".
 */
function headlineOf(displayName: string, subject: string | undefined, checkStatus: string | undefined, texts: Texts): string {
  if (!subject) return displayName;
  return checkStatus ? `${texts.labels.check} ${subject}: ${checkStatus}` : `${displayName}: ${subject}`;
}

function formatTime(at: Date, locale: Locale, timeZone: string): string {
  try {
    const style = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' } as const;
    return new Intl.DateTimeFormat(locale, { timeZone, ...style }).format(at);
  } catch {
    return at.toISOString();
  }
}

/** An SMS: one segment, or with an acknowledge link (a URL does not leave room for much in one), the text cut to fit two with the link whole at the end. */
function smsWithLink(text: string, link: string | undefined): string {
  if (!link || text.includes(link)) return fitOneSegment(text);
  return `${fitSegments(text, 2, link.length + 1)} ${link}`;
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
