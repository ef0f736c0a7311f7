import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for AWS Secrets Manager's GetSecretValue (the only call Herald makes), checking
 * the request as the service does: the JSON 1.1 protocol's target and content type, a SigV4
 * signature header, a secret that exists. Its secrets can be changed (rotated) and it can
 * be made to fail, as the service does when throttled or down.
 */
export interface SecretsManagerStandIn {
  url: string;
  secrets: Map<string, string>;
  /** GetSecretValue calls answered, by secret id. */
  reads: Map<string, number>;
  /** When set, every call answers 500 InternalServiceError. */
  failing: boolean;
  close(): Promise<void>;
}

export async function startSecretsManager(): Promise<SecretsManagerStandIn> {
  const standIn = { secrets: new Map<string, string>(), reads: new Map<string, number>(), failing: false } as SecretsManagerStandIn;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      const refuse = (status: number, type: string, message: string) => answer(status, { __type: type, message });
      if (req.method !== 'POST' || req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
        return refuse(400, 'UnknownOperationException', `Unknown operation ${String(req.headers['x-amz-target'])}`);
      if (req.headers['content-type'] !== 'application/x-amz-json-1.1') return refuse(400, 'SerializationException', 'Bad content type');
      if (
        !/^AWS4-HMAC-SHA256 Credential=\S+\/secretsmanager\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/.test(
          req.headers.authorization ?? '',
        )
      )
        return refuse(403, 'IncompleteSignatureException', 'The request signature is missing or malformed');
      if (standIn.failing) return refuse(500, 'InternalServiceError', 'Secrets Manager is having a bad day');
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: string };
      const value = SecretId === undefined ? undefined : standIn.secrets.get(SecretId);
      if (SecretId === undefined || value === undefined)
        return refuse(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      standIn.reads.set(SecretId, (standIn.reads.get(SecretId) ?? 0) + 1);
      answer(200, { ARN: SecretId, Name: SecretId.split(':').pop(), SecretString: value, VersionId: 'v1', CreatedDate: Date.now() / 1000 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = () => new Promise((resolve) => server.close(() => resolve()));
  return standIn;
}
