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
