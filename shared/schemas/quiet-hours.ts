import { z } from '@hono/zod-openapi';
import { isTimeZone, WEEKDAYS } from '../core/quiet-hours.js';

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a local time HH:MM' });

/** Quiet hours on a notifier or an app: weekly windows in an IANA time zone. */
export const QuietHours = z
  .strictObject({
    timeZone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin' }),
    windows: z
      .array(
        z.strictObject({
          days: z.array(z.enum(WEEKDAYS)).min(1).max(7).openapi({ description: 'the days a window starts on' }),
          from: LocalTime,
          to: LocalTime.openapi({ description: 'not after from: the window runs past midnight; equal: a whole day' }),
        }),
      )
      .min(1)
      .max(14),
    during: z
      .enum(['suppress', 'hold'])
      .default('suppress')
      .openapi({ description: 'suppress deliveries, or hold them until the window ends' }),
    criticalBypass: z.boolean().default(false).openapi({ description: 'critical events go out all the same' }),
  })
  .openapi('QuietHours');
