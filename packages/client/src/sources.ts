import type { HeraldApi } from './api.js';
import type { components } from './schema.js';

export type Source = components['schemas']['Source'];
export type SourceInput = components['schemas']['SourceInput'];
export type SourceKind = SourceInput['kind'];
/** A source as created or rotated: its `secret` is in this answer only (none for SNS, which signs its messages). */
export type CreatedSource = components['schemas']['CreatedSource'];

/**
 * An app's inbound sources (Alertmanager, Grafana, Amazon SNS, GitHub, JSON), with the admin
 * key: the tools post to a source's `url` with its own auth. Typed by openapi.json as every
 * call of `HeraldApi` is; the console and the `herald` command line manage sources through it.
 */
export class HeraldSources {
  constructor(private readonly api: HeraldApi) {}

  async list(appId: string): Promise<Source[]> {
    return (await this.api.get('/v1/apps/{appId}/sources', { path: { appId } })).sources;
  }

  async get(appId: string, sourceId: string): Promise<Source> {
    return (await this.api.get('/v1/apps/{appId}/sources/{sourceId}', { path: { appId, sourceId } })).source;
  }

  create(appId: string, input: SourceInput): Promise<CreatedSource> {
    return this.api.post('/v1/apps/{appId}/sources', { path: { appId }, body: input });
  }

  /** A new secret, shown once; the previous one is still taken until `source.previousSecretUntil` (24 h). */
  rotate(appId: string, sourceId: string): Promise<CreatedSource> {
    return this.api.post('/v1/apps/{appId}/sources/{sourceId}/secret', { path: { appId, sourceId } });
  }

  async delete(appId: string, sourceId: string): Promise<void> {
    await this.api.delete('/v1/apps/{appId}/sources/{sourceId}', { path: { appId, sourceId } });
  }
}
