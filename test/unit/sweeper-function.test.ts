import { describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Timer } from '../../shared/core/ports.js';
import { timerMessageOf, type TimerHandlers } from '../../shared/services/timers.js';
import { sweeperFunction } from '../../shared/sweeper-function.js';
import { memoryHerald } from '../support/fakes.js';
import { sampleEvent } from '../support/sample-events.js';

const timer = (group: string): Timer => ({ kind: 'group', appId: 'shop', notifierId: 'ops', group, seq: 1 });

/** A batch from the timer queue as Lambda hands it over (test/events/sqs-batch.json), one record per body. */
const batchOf = (bodies: string[]): SQSEvent => {
  const values = {
    MESSAGE_ID: 'm',
    RECEIPT_HANDLE: 'r',
    BODY: '',
    MD5_OF_BODY: '',
    QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:herald-timers',
  };
  const [record] = sampleEvent('sqs-batch.json', values).Records;
  return { Records: bodies.map((body, i) => ({ ...record, messageId: `m${i}`, body })) };
};

describe('the sweeper function', () => {
  it("does each timer of a batch, and reports back only those that failed or are no timer's", async () => {
    const herald = await memoryHerald();
    const fired: string[] = [];
    const handlers: TimerHandlers = {
      'silence-end': async () => {},
      escalation: async () => {},
      failover: async () => {},
      group: async (t) => {
        if (t.group === 'cache') throw new Error('the store is down');
        fired.push(t.group);
      },
    };
    const handler = sweeperFunction(herald, { disableAfterDays: 5, handlers });
    const now = herald.clock();
    const bodies = ['db', 'cache', 'web'].map((g) => JSON.stringify(timerMessageOf(timer(g), now)));
    const response = await handler(batchOf([...bodies, '{"v":2,"deliveries":[]}']));
    expect((response as SQSBatchResponse).batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m1', 'm3']);
    expect(fired.sort()).toEqual(['db', 'web']);
  });

  it('sweeps and watches heartbeats on a scheduled event', async () => {
    const herald = await memoryHerald();
    const handler = sweeperFunction(herald, { disableAfterDays: 5 });
    expect(await handler(sampleEvent('eventbridge-scheduled.json'))).toMatchObject({ found: 0, requeued: 0, offline: 0 });
  });
});
