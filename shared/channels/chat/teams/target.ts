import { z } from 'zod';
import { httpUrl } from '../../http-url.js';

export const target = z.strictObject({
  /** The HTTP URL of a Teams Workflows flow ("Post to a channel when a webhook request is received"). */
  url: httpUrl,
});

export type TeamsTarget = z.infer<typeof target>;
