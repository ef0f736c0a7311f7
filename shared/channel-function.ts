import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ChannelContext } from './aws/lambda-middlewares.js';
import { SqsReceivedMessage } from './aws/sqs-received-message.js';
import { channelDeps, type AwsClients } from './aws/wiring.js';
import { decodeMessageBody } from './aws/sqs-message-body.js';
import type { Channel, SendContext } from './channels/channel.js';
import { dlqUrlOf, outboundOf, queueUrlOf, type Config } from './config.js';
import { FAMILIES, type ChannelName, type Family } from './core/types.js';
import { DELIVERY } from './resources.js';
import { AttemptMetrics } from './services/attempt-metrics.js';
import { deliver, RetryScheduled, type DeliverDeps } from './services/deliver.js';
import type { DeliveryStore, IncidentLedger, NotifierStore, PacingStore, TimerQueue } from './core/ports.js';
import { DestinationLoad } from './services/destination-load.js';
import { Pacing } from './services/pacing.js';
import { NotifierStatusCache } from './services/notifier-status.js';
import { logger } from './telemetry.js';

/**
 * A channel family's function: an SQS batch from the family's queue in, one delivery
 * attempt per record, concurrently, each by the channel its delivery names; the records
 * that must come back (a retry scheduled, an error) reported as failures
 * (ReportBatchItemFailures), the rest deleted by the event source. Its handler
 * (functions/<family>/handler.ts) runs it in middy, which puts the invocation's context in
 * the logs and its provider settings in `context.providers`.
 */
export function channelFunction(
  family: Family,
  channels: Channel<any>[],
  config: Config,
  send: Omit<SendContext, 'httpTimeoutMs' | 'now' | 'outbound'>,
  clients: AwsClients = {},
): (event: SQSEvent, context?: ChannelContext) => Promise<SQSBatchResponse> {
  // A channel of the family left out would leave its deliveries on the queue until they die: fail at start instead.
  const missing = FAMILIES[family].filter((name) => !channels.some((c) => c.name === name));
  if (missing.length) throw new Error(`Herald: the ${family} function must deliver ${missing.join(', ')} too`);
  const { sqs, ...stores } = channelDeps(config, clients);
  const queueUrl = queueUrlOf(config, family);
  const dlqUrl = dlqUrlOf(config, family);
  const started = deliverDeps(channels, config, send, stores);
  const handle = async (deps: DeliverDeps, record: SQSRecord, tally: AttemptMetrics) => {
    try {
      return await deliver(deps, decodeMessageBody(record.body), new SqsReceivedMessage(sqs, queueUrl, dlqUrl, record), tally);
    } catch (err) {
      if (!(err instanceof RetryScheduled))
        logger.error('delivery attempt failed unexpectedly', { messageId: record.messageId, error: err as Error });
      throw err;
    }
  };
  return async (event, context) => {
    // The provider settings read for this invocation (freshProviderSettings), else those read at the start.
    const deps = context?.providers ? { ...started, context: { ...started.context, providers: context.providers } } : started;
    // A processor per invocation: it keeps the batch's state, and local mode runs batches concurrently.
    const processor = new BatchProcessor(EventType.SQS);
    // The batch's attempts, counted per channel: one metrics document each per invocation.
    const tally = new AttemptMetrics();
    try {
      return await processPartialResponse(event, (record: SQSRecord) => handle(deps, record, tally), processor, {
        ...(context ? { context } : {}),
        throwOnFullBatchFailure: false,
      });
    } finally {
      tally.publish();
    }
  };
}

/** What a family's channels send with, besides what every channel gets. */
export type FamilySend = Omit<SendContext, 'httpTimeoutMs' | 'now' | 'outbound' | 'messages' | 'incidentLedger'>;

/** What a family's deliveries are made with, on the stores given (DynamoDB's, or local mode's embedded ones). */
export function deliverDeps(
  channels: Channel<any>[],
  config: Config,
  send: Omit<SendContext, 'httpTimeoutMs' | 'now' | 'outbound'>,
  stores: { deliveries: DeliveryStore; notifiers: NotifierStore; incidentLedger: IncidentLedger; pacing: PacingStore; timers?: TimerQueue },
): DeliverDeps {
  const clock = () => new Date();
  return {
    channels: Object.fromEntries(channels.map((c) => [c.name, c])) as Partial<Record<ChannelName, Channel<any>>>,
    deliveries: stores.deliveries,
    notifiers: new NotifierStatusCache(stores.notifiers),
    retrySchedule: config.retrySchedule,
    load: new DestinationLoad(),
    ...(stores.timers ? { timers: stores.timers } : {}),
    pacing: new Pacing(stores.pacing),
    clock,
    context: {
      ...send,
      outbound: outboundOf(config),
      messages: config.messages,
      incidentLedger: stores.incidentLedger,
      httpTimeoutMs: DELIVERY.httpTimeoutMs,
      now: clock,
    },
  };
}
