import { z } from 'zod';
import { httpUrl } from '../../http-url.js';

export const target = z.strictObject({
  serverUrl: httpUrl,
  /** The token of a Gotify application (Apps → create), 15 characters starting with A. */
  appToken: z.string().regex(/^A[\w.-]{14}$/, { error: 'must be a Gotify application token (15 characters, starting with A)' }),
});

export type GotifyTarget = z.infer<typeof target>;
