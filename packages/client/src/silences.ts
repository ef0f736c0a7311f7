import type { HeraldApi } from './api.js';
import type { components } from './schema.js';

export type Silence = components['schemas']['Silence'];
export type SilenceInput = components['schemas']['SilenceInput'];
export type SilenceMatcher = components['schemas']['SilenceMatcher'];
/** Which of an app's latest events some matchers would have silenced, newest first, and how many were read. */
export type SilencePreview = components['schemas']['SilencePreview'];

/** The app of a global silence: it silences the events of every app. */
export const GLOBAL_SILENCE = '*';

/**
 * Silences (as Alertmanager's), with the admin key: while one is active, the events all its
 * matchers match are recorded suppressed `silenced: <id>` and sent nowhere. An app's at
 * /v1/apps/{appId}/silences, the global ones (appId `*`) at /v1/silences. The console and
 * `herald silence` manage silences through it.
 */
export class HeraldSilences {
  constructor(private readonly api: HeraldApi) {}

  async create(appId: string, input: SilenceInput): Promise<Silence> {
    const created =
      appId === GLOBAL_SILENCE
        ? await this.api.post('/v1/silences', { body: input })
        : await this.api.post('/v1/apps/{appId}/silences', { path: { appId }, body: input });
    return created.silence;
  }

  /** Newest first, expired ones too, each with how many events it silenced. */
  async list(appId: string): Promise<Silence[]> {
    const listed =
      appId === GLOBAL_SILENCE
        ? await this.api.get('/v1/silences', {})
        : await this.api.get('/v1/apps/{appId}/silences', { path: { appId } });
    return listed.silences;
  }

  async get(appId: string, silenceId: string): Promise<Silence> {
    const read =
      appId === GLOBAL_SILENCE
        ? await this.api.get('/v1/silences/{silenceId}', { path: { silenceId } })
        : await this.api.get('/v1/apps/{appId}/silences/{silenceId}', { path: { appId, silenceId } });
    return read.silence;
  }

  /** Ends it now; it stays listed, expired. A silence ended already is a 404. */
  async expire(appId: string, silenceId: string): Promise<void> {
    if (appId === GLOBAL_SILENCE) await this.api.delete('/v1/silences/{silenceId}', { path: { silenceId } });
    else await this.api.delete('/v1/apps/{appId}/silences/{silenceId}', { path: { appId, silenceId } });
  }

  /** Which of the app's latest 200 events these matchers would have silenced (an app's events only: no global preview). */
  preview(appId: string, matchers: SilenceMatcher[]): Promise<SilencePreview> {
    return this.api.post('/v1/apps/{appId}/silences/preview', { path: { appId }, body: { matchers } });
  }
}
