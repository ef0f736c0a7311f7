import { z } from 'zod';
import { httpUrl } from '../../http-url.js';

export const target = z.object({ url: httpUrl }).strict();

export type SlackTarget = z.infer<typeof target>;
