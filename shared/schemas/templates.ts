import { z } from '@hono/zod-openapi';
import { isTimeZone } from '../core/quiet-hours.js';
import { MESSAGE_PARTS } from '../core/messages/templates.js';
import { renderLater } from '../core/messages/render-later.js';

const KEY = new RegExp(
  `^(?:(?:@[a-z0-9_-]{1,64}|[a-z0-9][a-z0-9_.:-]{0,127})/)?(?:(?:en|de|fr)/)?(${MESSAGE_PARTS.map((p) => p.replace('.', '\\.')).join('|')})$`,
);

/**
 * Overrides of message parts, keyed `[<type or @category>/][<locale>/]<channel>.<part>`, in
 * the Liquid syntax. A template that does not parse is refused, with where the error is.
 */
export const Templates = z
  .record(
    z.string().regex(KEY, { error: `must be [<type or @category>/][<locale>/]<part>, the part one of ${MESSAGE_PARTS.join(', ')}` }),
    z.string().max(8192),
  )
  .superRefine(async (templates, ctx) => {
    if (Object.keys(templates).length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 overrides' });
    if (Object.keys(templates).length === 0) return;
    // The template engine, loaded here on first use rather than at the api's start (the schema is parsed asynchronously).
    const { overrideProblems } = await renderLater();
    // Keys of the wrong shape are refused above, with the form they must take.
    for (const { key, message } of overrideProblems(templates)) if (KEY.test(key)) ctx.addIssue({ code: 'custom', path: [key], message });
  })
  .openapi('Templates', {
    example: { 'email.subject': '[{{ app.name }}] {{ event.headline }}', 'app_deployed/de/slack.text': '{{ app.name }}: neue Version' },
  });

export const TimeZone = z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin' });
