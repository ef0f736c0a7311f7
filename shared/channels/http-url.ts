import { z } from 'zod';

/**
 * The URL, or undefined when the text is not one. zod runs every refine of a chain even
 * after one failed, so a refine that reads a URL must not assume an earlier one checked it.
 */
export function urlOf(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** A receiver URL: absolute, http or https, no credentials in it. */
export const httpUrl = /* @__PURE__ */ (() =>
  z
    .string()
    .max(2048)
    .refine(
      (raw) => {
        const url = urlOf(raw);
        return !!url && (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
      },
      { error: 'must be an http(s) URL' },
    ))();

/** A provider's webhook URL: an http(s) URL whose path has the provider's shape (any host: self-hosted servers, stand-ins). */
export const webhookUrl = (path: RegExp, example: string) =>
  httpUrl.refine((raw) => path.test(urlOf(raw)?.pathname ?? ''), { error: `must be a webhook URL such as ${example}` });
