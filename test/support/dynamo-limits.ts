import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB refuses any expression string longer than this (bytes); dynalite does not check. */
const MAX_EXPRESSION_BYTES = 4096;
const EXPRESSIONS = ['UpdateExpression', 'ConditionExpression', 'KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'];

/**
 * A DynamoDB client for the emulator that refuses what AWS would and dynalite lets through:
 * an expression over 4 KB, answered with AWS's ValidationException before it is sent.
 */
export function dynamoClientWithLimits(endpoint: string): DynamoDBClient {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint });
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      for (const name of EXPRESSIONS) {
        const expression = input[name];
        const bytes = typeof expression === 'string' ? Buffer.byteLength(expression) : 0;
        if (bytes > MAX_EXPRESSION_BYTES)
          throw Object.assign(
            new Error(`Invalid ${name}: Expression size has exceeded the maximum allowed size; expression size: ${bytes}`),
            {
              name: 'ValidationException',
            },
          );
      }
      return next(args);
    },
    { step: 'initialize', name: 'dynamoExpressionLimits' },
  );
  return client;
}
