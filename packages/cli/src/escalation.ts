import type { Command } from 'commander';
import type { components } from '@herald/client';
import { repeatOption } from './context.js';
import { UsageError } from './failure.js';
import { secondsOption } from './grouping.js';
import { durationText } from './output.js';

/** A notifier's escalation policy and failover (issue 18), as Herald answers them. */
export type Escalation = components['schemas']['EscalationPolicy'];
export type Failover = components['schemas']['Failover'];
type NotifyEntry = components['schemas']['NotifyEntry'];

/** The --escalate, --repeat and --failover-* options of `herald notifiers add|edit`; `failover` is false for --no-failover (edit). */
export interface EscalationOptions {
  escalate?: string[];
  repeat?: string;
  failoverTo?: string[];
  failoverAfter?: string;
  failover?: boolean;
}

/** The options, of `notifiers add` and `edit`. */
export const escalationOptions = (command: Command): Command =>
  command
    .option(
      '--escalate <step>',
      'a step of an escalation policy, instead of --channel: <after>:notifier=<id>[,contact=<id>,group=<id>...], after from the incident opening (0, 30s, 10m); repeat for each step, in order',
      repeatOption,
    )
    .option('--repeat <n>', 'run the steps again n times (0 to 10) while nobody acknowledges')
    .option(
      '--failover-to <entry>',
      'notifier=<id>, contact=<id> or group=<id>: who gets a delivery that fails, dies or is late; repeat for the next ones',
      repeatOption,
    )
    .option('--failover-after <duration>', 'a delivery not sent after this long fails over too: 15m, 1h (default 15m)');

/** The policy --escalate and --repeat ask for; undefined when they say nothing (--repeat alone needs the steps). */
export function escalationOf(o: EscalationOptions): Escalation | undefined {
  if (!o.escalate?.length) {
    if (o.repeat !== undefined) throw new UsageError('--repeat needs the steps: --escalate <after>:notifier=<id> for each');
    return undefined;
  }
  const steps = o.escalate.map((step) => {
    const at = step.indexOf(':');
    if (at < 1) throw new UsageError(`--escalate ${step}: <after>:notifier=<id>[,notifier=<id>...], e.g. 10m:notifier=ntf_01kb...`);
    return { afterSeconds: secondsOption(step.slice(0, at), '--escalate'), notify: entriesOf(step.slice(at + 1), '--escalate') };
  });
  const repeat = o.repeat === undefined ? undefined : Number(o.repeat);
  if (repeat !== undefined && !Number.isInteger(repeat)) throw new UsageError(`--repeat ${o.repeat}: a whole number, 0 to 10`);
  return { steps, ...(repeat !== undefined ? { repeat } : {}) };
}

/** The failover the options ask for; null for --no-failover (removes it); undefined when they say nothing. */
export function failoverOf(o: EscalationOptions): Failover | null | undefined {
  const to = o.failoverTo?.flatMap((entry) => entriesOf(entry, '--failover-to'));
  if (o.failover === false) {
    if (to || o.failoverAfter) throw new UsageError('--no-failover, or --failover-to/--failover-after: not both');
    return null;
  }
  if (!to) {
    if (o.failoverAfter) throw new UsageError('--failover-after needs --failover-to notifier=<id>');
    return undefined;
  }
  return { to, ...(o.failoverAfter ? { afterSeconds: secondsOption(o.failoverAfter, '--failover-after') } : {}) };
}

/** `notifier=ntf_a,contact=con_b,group=cgr_c` as entries. */
function entriesOf(text: string, name: string): NotifyEntry[] {
  return text.split(',').map((part) => {
    const match = /^(notifier|contact|group)=(\S+)$/.exec(part.trim());
    if (!match) throw new UsageError(`${name}: ${part} is not notifier=<id>, contact=<id> or group=<id>`);
    return { [match[1] as string]: match[2] as string } as NotifyEntry;
  });
}

const entryText = (entry: NotifyEntry): string =>
  'notifier' in entry ? `notifier=${entry.notifier}` : 'contact' in entry ? `contact=${entry.contact}` : `group=${entry.group}`;

/** "0s: notifier=ntf_a; 10m: notifier=ntf_b, notifier=ntf_c; repeat 2", the durations as the options take them. */
export function escalationText(e: Escalation | undefined): string {
  if (!e) return '';
  const steps = e.steps.map((s) => `${durationText(s.afterSeconds)}: ${s.notify.map(entryText).join(', ')}`).join('; ');
  return `${steps}${e.repeat ? `; repeat ${e.repeat}` : ''}`;
}

/** "notifier=ntf_b, then notifier=ntf_c, after 15m unsent". */
export function failoverText(f: Failover | undefined): string {
  if (!f) return '';
  return `${f.to.map(entryText).join(', then ')}, after ${durationText(f.afterSeconds ?? 900)} unsent`;
}
