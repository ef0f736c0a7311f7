import { readFileSync } from 'node:fs';
import { HeraldError } from '../../shared/errors.js';

/** The error a call is refused with (a HeraldError, whose status the API answers); fails the test if it is not refused. */
export async function refusal(promise: Promise<unknown>): Promise<HeraldError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof HeraldError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err;
}

/** A message of test/fixtures/sns/ (see its README for where each comes from), as SNS posted it. */
export const snsFixture = (name: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../fixtures/sns/${name}`, import.meta.url), 'utf8')) as Record<string, string>;
