import type { Command } from 'commander';
import type { components } from '@herald/client';
import { durationMs, listOption } from './context.js';
import { UsageError } from './failure.js';
import { durationText } from './output.js';

/** A notifier's grouping (issue 17), as Herald answers it. */
export type Grouping = NonNullable<components['schemas']['Notifier']['grouping']>;

/** The --group-* options of `herald notifiers add|edit`; `grouping` is false for --no-grouping (edit). */
export interface GroupingOptions {
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  groupRepeat?: string;
  grouping?: boolean;
}

/**
 * The grouping the options ask for: any --group-* option turns grouping on, and what they
 * leave out is Herald's default (on add) or kept (on edit: a merge patch); --no-grouping is
 * null (removes it). Undefined when they say nothing of grouping.
 */
export function groupingOf(o: GroupingOptions): Partial<Grouping> | null | undefined {
  const set = {
    ...(o.groupBy ? { by: o.groupBy } : {}),
    ...(o.groupWait !== undefined ? { waitSeconds: secondsOption(o.groupWait, '--group-wait') } : {}),
    ...(o.groupInterval !== undefined ? { intervalSeconds: secondsOption(o.groupInterval, '--group-interval') } : {}),
    ...(o.groupRepeat !== undefined ? { repeatSeconds: secondsOption(o.groupRepeat, '--group-repeat') } : {}),
  };
  const any = Object.keys(set).length > 0;
  if (o.grouping === false) {
    if (any) throw new UsageError('--no-grouping, or --group-by/--group-wait/--group-interval/--group-repeat: not both');
    return null;
  }
  return any ? set : undefined;
}

/** A duration option in whole seconds: 30s, 5m, 4h, 1h30m (as silence --for), or a bare number of seconds. Herald checks the bounds. */
export function secondsOption(value: string, name: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = durationMs(value);
  if (ms === undefined) throw new UsageError(`${name} ${value}: a duration (30s, 5m, 4h, 1h30m) or a number of seconds`);
  return ms / 1000;
}

/** "by data.cluster, wait 30s, every 5m, repeat 4h" (the durations as the options take them); '' without grouping. */
export function groupingText(g: Grouping | undefined): string {
  if (!g) return '';
  const by = g.by.length ? `by ${g.by.join(',')}` : 'all together';
  return `${by}, wait ${durationText(g.waitSeconds)}, every ${durationText(g.intervalSeconds)}, repeat ${durationText(g.repeatSeconds)}`;
}

/** The --group-* options, of `notifiers add` and `edit`. */
export const groupingOptions = (command: Command): Command =>
  command
    .option('--group-by <field>', 'group its events by app, type, severity, check, data.<path>...: repeat or comma-separate', listOption)
    .option('--group-wait <duration>', "how long a new group waits for others: 30s, 2m (Herald's default 30s)")
    .option('--group-interval <duration>', 'how often a group sends what joined it since: 5m, 1h (default 5m)')
    .option('--group-repeat <duration>', 'how often a group still failing is sent again: 4h, 1d (default 4h)');
