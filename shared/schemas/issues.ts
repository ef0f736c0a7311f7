import type { z } from 'zod';
import type { FieldIssue } from '../errors.js';

/**
 * zod's issues as the API's error details: the field's path and what is wrong with it. An
 * unknown key is the field at fault itself (`rate.perMinute`), one detail per key, where zod
 * names the keys in one issue at the object that holds them.
 */
export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: [...at, key].join('.'), message: 'is not a field here' }));
    return [{ path: at.join('.') || '(body)', message: issue.message }];
  });
}
