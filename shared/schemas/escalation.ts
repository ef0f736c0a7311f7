import { z } from '@hono/zod-openapi';
import { DEFAULT_FAILOVER_SECONDS, roundSeconds } from '../core/escalation.js';
import { ContactId, GroupId } from './contact.js';

/** Whom a step or a failover names: a notifier, a contact or a contact group. */
const NotifyEntry = z
  .union(
    [
      z.strictObject({ notifier: z.string().regex(/^ntf_[0-9a-z]{1,40}$/, { error: 'must be a notifier id (ntf_...)' }) }),
      z.strictObject({ contact: ContactId }),
      z.strictObject({ group: GroupId }),
    ],
    {
      // What an entry may be, rather than zod's "Invalid input" for one that is none of them ({"person": ...}).
      error: (issue) =>
        issue.code === 'invalid_union' ? 'must be one of {"notifier": "ntf_..."}, {"contact": "con_..."}, {"group": "cgr_..."}' : undefined,
    },
  )
  .openapi('NotifyEntry', { example: { notifier: 'ntf_01jd8x4kqs3m2v7w9y5z6a1b2c' } });

const Step = z.strictObject({
  afterSeconds: z
    .int()
    .min(0)
    .max(7 * 86_400)
    .openapi({ description: "when the step is due, from the incident's opening" }),
  notify: z.array(NotifyEntry).min(1).max(10),
});

export const EscalationPolicy = z
  .strictObject(
    {
      steps: z.array(Step).min(1).max(10),
      repeat: z.int().min(0).max(10).optional().openapi({ description: 'how many times the steps run again; default 0' }),
    },
    // A notifier with no channel is read as a policy: say what is missing in the words of both.
    { error: (issue) => (issue.input === undefined ? 'give a channel and target, or an escalation (one of them)' : undefined) },
  )
  .superRefine((policy, ctx) => {
    policy.steps.forEach((step, i) => {
      const before = policy.steps[i - 1];
      if (before && step.afterSeconds <= before.afterSeconds)
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'afterSeconds'],
          message: `must be more than step ${i}'s (${before.afterSeconds}): steps come in order`,
        });
    });
    if (policy.repeat && roundSeconds(policy) === 0)
      ctx.addIssue({ code: 'custom', path: ['repeat'], message: 'needs a step after 0 s (a round of one step at 0 s has no length)' });
  })
  .openapi('EscalationPolicy', {
    description:
      'steps of an incident: step 1 at its afterSeconds, each next at its own (from the opening) while nobody acknowledges; repeat runs them again',
  });

export const Failover = z
  .strictObject({
    to: z.array(NotifyEntry).min(1).max(10).openapi({ description: 'tried in order: the next when the one before fails too' }),
    afterSeconds: z
      .int()
      .min(1)
      .max(86_400)
      .optional()
      .openapi({ description: `a delivery not sent after this long is failed over too; default ${DEFAULT_FAILOVER_SECONDS}` }),
  })
  .openapi('Failover', {
    description: 'when a delivery ends failed or dead, or is not sent after afterSeconds, the next in to gets the event',
  });
