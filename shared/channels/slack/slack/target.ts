import { z } from 'zod';
import { httpUrl } from '../../http-url.js';

export const target = z.strictObject({ url: httpUrl });

export type SlackTarget = z.infer<typeof target>;
