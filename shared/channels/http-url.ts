import { z } from 'zod';

/** A receiver URL: absolute, http or https, no credentials in it. */
export const httpUrl = /* @__PURE__ */ (() =>
  z
    .string()
    .max(2048)
    .refine(
      (raw) => {
        try {
          const url = new URL(raw);
          return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
        } catch {
          return false;
        }
      },
      { error: 'must be an http(s) URL' },
    ))();

/** A provider's webhook URL: an http(s) URL whose path has the provider's shape (any host: self-hosted servers, stand-ins). */
export const webhookUrl = (path: RegExp, example: string) =>
  httpUrl.refine(
    (raw) => {
      try {
        return path.test(new URL(raw).pathname);
      } catch {
        return false;
      }
    },
    { error: `must be a webhook URL such as ${example}` },
  );
