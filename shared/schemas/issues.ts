import type { z } from 'zod';
import type { FieldIssue } from '../errors.js';

/** zod's issues as the API's error details: the field's path and what is wrong with it. */
export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}
