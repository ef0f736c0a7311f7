import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Family } from '../../shared/core/types.js';
import { QUEUE_ACCESS, TABLE, TABLE_ACCESS } from '../../shared/resources.js';

/** Whose role a client calls with: the api (and ingest), the sweeper, or a family's channel function. */
export type TableRole = 'api' | 'sweeper' | Family;

type Input = Record<string, any>;

/** The partition keys a call touches (IAM's dynamodb:LeadingKeys), from its input, marshalled or not. */
function leadingKeysOf(command: string, input: Input): string[] {
  const pk = (item: Input | undefined) => {
    const v = item?.[TABLE.partitionKey];
    return typeof v === 'string' ? v : String(v?.S);
  };
  switch (command) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [pk(input['Key'])];
    case 'PutItem':
      return [pk(input['Item'])];
    case 'Query': {
      const name = /^\s*(\S+)\s*=\s*(:\w+)/.exec(String(input['KeyConditionExpression']));
      const value = name ? input['ExpressionAttributeValues']?.[name[2] as string] : undefined;
      return [typeof value === 'string' ? value : String(value?.S)];
    }
    case 'BatchGetItem':
      return Object.values(input['RequestItems'] ?? {}).flatMap((r: any) => (r.Keys ?? []).map(pk));
    case 'BatchWriteItem':
      return Object.values(input['RequestItems'] ?? {}).flatMap((writes: any) =>
        writes.map((w: Input) => pk(w['PutRequest']?.['Item'] ?? w['DeleteRequest']?.['Key'])),
      );
    default:
      return [];
  }
}

/** IAM's StringLike: `*` any run of characters, `?` one. */
const like = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

/** Whether the role the stack gives `role` allows the call, as IAM would judge it; undefined if so, else why not. */
export function refusal(role: TableRole, command: string, input: Input): string | undefined {
  if (role === 'api' || role === 'sweeper') {
    const actions: readonly string[] = [
      ...TABLE_ACCESS.service.actions,
      ...(role === 'sweeper' ? TABLE_ACCESS.service.sweeperActions : []),
    ];
    return actions.includes(command) ? undefined : `no identity-based policy allows the dynamodb:${command} action`;
  }
  if (!(TABLE_ACCESS.channel.actions as readonly string[]).includes(command) || input['IndexName'])
    return `no identity-based policy allows the dynamodb:${command} action${input['IndexName'] ? ` on index ${input['IndexName']}` : ''}`;
  const allowed: readonly string[] = [
    ...TABLE_ACCESS.channel.leadingKeys,
    ...(role === 'incident' ? TABLE_ACCESS.channel.incidentLeadingKeys : []),
  ];
  const outside = leadingKeysOf(command, input).filter((key) => !allowed.some((p) => like(p, key)));
  return outside.length ? `dynamodb:LeadingKeys ${outside.join(', ')} are not among ${allowed.join(', ')}` : undefined;
}

/**
 * Makes a client for the emulator refuse, as AWS would with AccessDeniedException, any call
 * the role the stack gives `role` does not allow (shared/resources.ts TABLE_ACCESS): dynalite
 * checks no IAM, so without it a function reaching for an item outside its rights passes
 * every test and fails on AWS.
 */
export function withTablePolicy(client: DynamoDBClient, role: TableRole): DynamoDBClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String((context as { commandName?: string }).commandName).replace(/Command$/, '');
      const why = refusal(role, command, args.input as Input);
      if (why)
        throw Object.assign(
          new Error(
            `User: arn:aws:sts::000000000000:assumed-role/herald-${role} is not authorized to perform: dynamodb:${command} because ${why}`,
          ),
          {
            name: 'AccessDeniedException',
            $metadata: { httpStatusCode: 400 },
          },
        );
      return next(args);
    },
    { step: 'initialize', name: `tablePolicy-${role}` },
  );
  return client;
}

/**
 * Makes a channel function's SQS client refuse, as AWS would, a call outside what its role
 * allows on queues (QUEUE_ACCESS: its own queue and DLQ only); fauxqs checks no IAM.
 */
export function withQueuePolicy(
  client: SQSClient,
  family: Family,
  queues: { url: string; dlqUrl: string; timerQueueUrl?: string },
): SQSClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // SendMessageBatch is authorized as SendMessage.
      const command = String((context as { commandName?: string }).commandName)
        .replace(/Command$/, '')
        .replace(/^SendMessageBatch$/, 'SendMessage');
      const url = String((args.input as Input)['QueueUrl']);
      const allowed: readonly string[] =
        url === queues.url
          ? QUEUE_ACCESS.channel.queue
          : url === queues.dlqUrl
            ? QUEUE_ACCESS.channel.dlq
            : url === queues.timerQueueUrl
              ? QUEUE_ACCESS.channel.timers
              : [];
      if (!allowed.includes(command))
        throw Object.assign(
          new Error(
            `User: arn:aws:sts::000000000000:assumed-role/herald-${family} is not authorized to perform: sqs:${command} on resource: ${url}`,
          ),
          {
            name: 'AccessDenied',
            $metadata: { httpStatusCode: 403 },
          },
        );
      return next(args);
    },
    { step: 'initialize', name: `queuePolicy-${family}` },
  );
  return client;
}
