import type { HeraldApi } from './api.js';
import type { components } from './schema.js';

export type Contact = components['schemas']['Contact'];
export type ContactInput = components['schemas']['ContactInput'];
export type ContactPatch = components['schemas']['ContactPatch'];
export type ContactGroup = components['schemas']['ContactGroup'];
export type ContactGroupInput = components['schemas']['ContactGroupInput'];
export type ContactGroupPatch = components['schemas']['ContactGroupPatch'];
/** A webhook secret Herald generated for a channel given none: `index` is the channel's in `channels`. */
export interface GeneratedSecret {
  index: number;
  secret: string;
}
/** A contact as `create` and `update` answer it: with `secrets` when Herald generated any, on this answer only. */
export type ChangedContact = Contact & { secrets?: GeneratedSecret[] };

/** The app of installation-wide contacts and groups: any app's notifier may name them. */
export const INSTALLATION_WIDE = '*';

/**
 * Contacts (a person's channels, language, time zone and quiet hours) and contact groups,
 * which notifiers name instead of a channel and target. An app's at /v1/apps/{appId}/contacts
 * (the admin key, or the app's own key), installation-wide ones (appId `*`) at /v1/contacts
 * (admin). Targets come back with their secrets masked; sent back as they came in `update`,
 * they keep the secret. `herald contacts` and `herald contact-groups` manage them through it.
 */
export class HeraldContacts {
  constructor(private readonly api: HeraldApi) {}

  /** `secrets`: the webhook secrets generated for webhook channels given none, shown this once (masked afterwards). */
  async create(appId: string, input: ContactInput): Promise<ChangedContact> {
    return withSecrets(await this.api.post(all(appId, 'contacts'), { path: { appId }, body: input }));
  }

  async list(appId: string): Promise<Contact[]> {
    return (await this.api.get(all(appId, 'contacts'), { path: { appId } })).contacts;
  }

  async get(appId: string, id: string): Promise<Contact> {
    return (await this.api.get(one(appId, 'contacts'), { path: { appId, id } })).contact;
  }

  /** A merge patch: `channels` replaces the list (send back the masked targets to keep their secrets). */
  async update(appId: string, id: string, patch: ContactPatch): Promise<ChangedContact> {
    return withSecrets(await this.api.patch(one(appId, 'contacts'), { path: { appId, id }, body: patch }));
  }

  /** A 409 `contact_in_use` (its details name them) while a group or a notifier names it. */
  async delete(appId: string, id: string): Promise<void> {
    await this.api.delete(one(appId, 'contacts'), { path: { appId, id } });
  }

  async createGroup(appId: string, input: ContactGroupInput): Promise<ContactGroup> {
    return (await this.api.post(all(appId, 'contact-groups'), { path: { appId }, body: input })).group;
  }

  async listGroups(appId: string): Promise<ContactGroup[]> {
    return (await this.api.get(all(appId, 'contact-groups'), { path: { appId } })).groups;
  }

  async updateGroup(appId: string, id: string, patch: ContactGroupPatch): Promise<ContactGroup> {
    return (await this.api.patch(one(appId, 'contact-groups'), { path: { appId, id }, body: patch })).group;
  }

  /** A 409 `contact_in_use` while a notifier names it. */
  async deleteGroup(appId: string, id: string): Promise<void> {
    await this.api.delete(one(appId, 'contact-groups'), { path: { appId, id } });
  }
}

/*
 * The installation-wide routes answer as the app's do: typed as the app's, the path is the
 * installation's for `*` (an appId the path does not name is left unused).
 */
const all = <K extends 'contacts' | 'contact-groups'>(appId: string, what: K) =>
  (appId === INSTALLATION_WIDE ? `/v1/${what}` : `/v1/apps/{appId}/${what}`) as `/v1/apps/{appId}/${K}`;
const one = <K extends 'contacts' | 'contact-groups'>(appId: string, what: K) =>
  (appId === INSTALLATION_WIDE ? `/v1/${what}/{id}` : `/v1/apps/{appId}/${what}/{id}`) as `/v1/apps/{appId}/${K}/{id}`;

/** The contact of a change's answer, with the secrets it generated (none: no `secrets`). */
const withSecrets = ({ contact, secrets }: { contact: Contact; secrets?: GeneratedSecret[] }): ChangedContact =>
  secrets?.length ? { ...contact, secrets } : contact;
