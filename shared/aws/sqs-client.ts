import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../config.js';

/** An SQS client. In local mode the emulator's queue URLs name a host of their own: send to the configured endpoint. */
export function sqsClient(config: Config): SQSClient {
  return new SQSClient({
    region: config.region,
    ...(config.endpoints.sqs ? { endpoint: config.endpoints.sqs, useQueueUrlAsEndpoint: false } : {}),
  });
}
