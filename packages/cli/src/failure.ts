import { HeraldApiError, HeraldNetworkError } from '@herald/client';

/** The command line's exit codes: the only place they are decided. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/** A command used wrongly (a missing option, a file that does not parse): exit 2, with how to use it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Something went wrong that is not Herald's answer nor a usage error (an invalid signature, a delivery that failed). */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  constructor(
    message: string,
    readonly json?: unknown,
  ) {
    super(message);
  }
}

/** What a failure prints and the code it exits with: Herald's message and the fields at fault, or the usage. */
export function describeFailure(error: unknown): { code: number; lines: string[]; json: unknown } {
  if (error instanceof HeraldApiError) {
    const lines = [
      `error: ${error.message} (${error.status} ${error.code})`,
      // A detail may name what the user typed (a silence's matcher: see matchers.ts).
      ...error.details.map((d: { path: string; message: string; matcher?: string }) =>
        d.matcher === undefined ? `  ${d.path || '(body)'}: ${d.message}` : `  ${d.path} '${d.matcher}': ${d.message}`,
      ),
    ];
    const json = {
      error: {
        status: error.status,
        code: error.code,
        message: error.message,
        details: error.details,
        // A 429 (or 503) says how long to wait: its Retry-After.
        ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      },
    };
    return { code: EXIT.refused, lines, json };
  }
  if (error instanceof HeraldNetworkError) {
    return { code: EXIT.refused, lines: [`error: ${error.message}`], json: { error: { code: 'unreachable', message: error.message } } };
  }
  if (error instanceof UsageError) {
    return { code: EXIT.usage, lines: [`error: ${error.message}`], json: { error: { code: 'usage', message: error.message } } };
  }
  if (error instanceof CommandFailed) {
    return {
      code: EXIT.refused,
      lines: [`error: ${error.message}`],
      json: error.json ?? { error: { code: 'failed', message: error.message } },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: EXIT.refused, lines: [`error: ${message}`], json: { error: { code: 'failed', message } } };
}
