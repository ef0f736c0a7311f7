import { HeraldApiError, type SilenceMatcher } from '@herald/client';
import { UsageError } from './failure.js';

/**
 * Silence matchers as amtool writes them (`alertname=Foo`, `job!=x`, `type=~db\..*`,
 * `env!~dev|test`): a field, an operator, a value, with the value in double quotes or not.
 * Herald checks the field and the pattern; this only splits what the user typed.
 */
const MATCHER = /^\s*([^=!~\s]+)\s*(=~|!~|!=|=)(.*)$/s;

export function parseMatcher(typed: string): SilenceMatcher {
  const parts = MATCHER.exec(typed);
  if (!parts) throw new UsageError(`${typed}: expected field=value, field!=value, field=~pattern or field!~pattern`);
  const [, field, op, raw] = parts as unknown as [string, string, SilenceMatcher['op'], string];
  const quoted = /^"(.*)"$/s.exec(raw.trim());
  return { field, op, value: quoted ? (quoted[1] as string) : raw };
}

/** A matcher as amtool prints it, the value quoted (it may hold spaces): `type=~"db\..*"`; parseMatcher reads it back. */
export const formatMatcher = (m: SilenceMatcher): string => `${m.field}${m.op}"${m.value}"`;

/**
 * Herald's 400 names `matchers.N`; the user typed `type=~(unclosed`. The same error with each
 * such detail also naming the matcher as typed (`matcher`, which describeFailure prints).
 */
export async function namingMatchers<T>(typed: string[], call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!(error instanceof HeraldApiError) || error.status !== 400) throw error;
    const details = error.details.map((d) => {
      const index = /^matchers\.(\d+)(\.|$)/.exec(d.path)?.[1];
      const matcher = index === undefined ? undefined : typed[Number(index)];
      return matcher === undefined ? d : { ...d, matcher };
    });
    throw new HeraldApiError(error.status, { error: { code: error.code, message: error.message, details } });
  }
}
