/**
 * The AWS list prices the bench prices Herald with: us-east-1, on-demand, ARM Lambda, first
 * tiers, no free tier. Dollars. Change them here when AWS does; the bench prints them.
 */
export const PRICES = {
  region: 'us-east-1',
  /** API Gateway HTTP API, per million requests (first 300 million a month), each metered in 512 KB increments. */
  httpApiPerMillion: 1.0,
  httpApiRequestBytes: 512 * 1024,
  /** Lambda, per million requests. */
  lambdaPerMillion: 0.2,
  /** Lambda on arm64, per GB-second (first 7.5 billion GB-s a month). */
  lambdaArmPerGbSecond: 0.0000133334,
  /** SQS standard queues, per million requests (past the first free million), each 64 KiB chunk of a payload one request. */
  sqsPerMillion: 0.4,
  sqsChunkBytes: 64 * 1024,
  /** DynamoDB on demand (since November 2024), per million write and read request units. */
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  /** DynamoDB standard table class, per GB-month of items and index entries; continuous backups (point-in-time recovery) per GB-month. */
  dynamoStoragePerGbMonth: 0.25,
  dynamoPitrPerGbMonth: 0.2,
  /** CloudWatch Logs (standard class), per GB ingested (Lambda's and API Gateway's logs alike, first tier) and per GB-month archived. */
  logsIngestPerGb: 0.5,
  /** The Infrequent Access class (the access log's group), per GB ingested: Logs Insights, no Live Tail or metric filters. */
  logsInfrequentIngestPerGb: 0.25,
  logsStoragePerGbMonth: 0.03,
  /** CloudWatch bills each log event at its message's bytes plus 26. */
  logEventOverheadBytes: 26,
} as const;

export const GB = 1024 ** 3;
export const DAYS_PER_MONTH = 30.42;

/** What is billed per month whatever the traffic, given the stack's alarm count: left out of the cost per million events, listed in the output. */
export const fixedMonthly = (alarms: number): string[] => [
  'Lambda SQS pollers long-poll each of the 7 queues when idle: about 0.65 million empty receives per queue a month, $0.26 each',
  'sweeper: one invocation a minute (43,200 a month) and its queries',
  "ingest's volume (EventsAccepted, DeliveriesPlanned): one EMF document per busy instance per 10 s, about 0.26 million a month, $0.04 per instance busy all month",
  'KMS keys of the table and of the alarm topic ($1 each), two Secrets Manager secrets ($0.80)',
  `CloudWatch: ${alarms} alarms ($0.10 each, $0.30 for the ones on a metric math expression of several metrics), the dashboard ($3), and each EMF metric name and dimension pair ($0.30 a metric)`,
];
