import type { SendMessageBatchCommand, SendMessageBatchCommandOutput, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsTimerQueue, TimersNotSet } from '../../../shared/aws/sqs-timer-queue.js';
import type { Timer } from '../../../shared/core/ports.js';

const timer = (group: string): Timer => ({ kind: 'group', appId: 'shop', notifierId: 'ops', group, seq: 1 });
const NOW = new Date('2026-11-30T10:00:00.000Z');

/** An SQS client that answers SendMessageBatch as told, call by call (`ok` past the answers), and keeps each call's entries. */
function stubSqs(answers: ((entries: { Id: string }[]) => SendMessageBatchCommandOutput['Failed'])[] = []) {
  const calls: { Id: string; MessageBody: string; DelaySeconds: number }[][] = [];
  const sqs = {
    send: async (command: SendMessageBatchCommand) => {
      const entries = command.input.Entries as (typeof calls)[number];
      calls.push(entries);
      return { Successful: [], Failed: answers.shift()?.(entries) ?? [] };
    },
  } as unknown as SQSClient;
  return { sqs, calls };
}

const queueOf = (sqs: SQSClient) =>
  new SqsTimerQueue(
    sqs,
    () => 'https://sqs.example/timers',
    () => NOW,
    [1, 1],
  );

describe('the timer queue on SQS', () => {
  it('sends timers in batches of ten, each delayed to the whole second it is due, 900 s at most', async () => {
    const { sqs, calls } = stubSqs();
    const offsets = [0, 1500, 2000, 899_001, 2000_000, -5000];
    const timers = Array.from({ length: 12 }, (_, i) => ({ timer: timer(`g${i}`), at: new Date(NOW.getTime() + (offsets[i] ?? 0)) }));
    await queueOf(sqs).set(timers);
    expect(calls.map((c) => c.length)).toEqual([10, 2]);
    expect(calls[0]?.slice(0, 6).map((e) => e.DelaySeconds)).toEqual([0, 2, 2, 900, 900, 0]);
    expect(JSON.parse(calls[0]?.[1]?.MessageBody as string)).toEqual({ v: 1, at: '2026-11-30T10:00:01.500Z', timer: timer('g1') });
  });

  it('sends again the entries SQS failed on its side, and only those', async () => {
    const { sqs, calls } = stubSqs([() => [{ Id: '1', Code: 'InternalError', SenderFault: false }]]);
    await queueOf(sqs).set(['a', 'b', 'c'].map((g) => ({ timer: timer(g), at: NOW })));
    expect(calls.map((c) => c.map((e) => JSON.parse(e.MessageBody).timer.group))).toEqual([['a', 'b', 'c'], ['b']]);
  });

  it('fails, naming why, when SQS blames the sender or keeps failing an entry', async () => {
    const sender = stubSqs([() => [{ Id: '0', Code: 'InvalidParameterValue', Message: 'bad body', SenderFault: true }]]);
    await expect(queueOf(sender.sqs).set([{ timer: timer('a'), at: NOW }])).rejects.toThrow(
      new TimersNotSet(['InvalidParameterValue: bad body']),
    );
    expect(sender.calls).toHaveLength(1);
    const down = () => [{ Id: '0', Code: 'ServiceUnavailable', SenderFault: false }];
    const failing = stubSqs([down, down, down]);
    await expect(queueOf(failing.sqs).set([{ timer: timer('a'), at: NOW }])).rejects.toThrow(
      /SQS refused 1 timer\(s\): ServiceUnavailable/,
    );
    expect(failing.calls).toHaveLength(3);
  });
});
