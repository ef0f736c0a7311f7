import { ADDRESSING } from '../channels/addressing.js';
import { maskedValue, unmasked } from '../channels/masked.js';
import type { Contact, ContactGroup } from '../core/contacts.js';
import { INSTALLATION } from '../core/types.js';
import { ContactInUseError, NotFoundError, ValidationError } from '../errors.js';
import { generateWebhookSecret, newId } from '../ids.js';
import { ContactGroupInput, ContactInput, type ContactGroupInputBody, type ContactInputBody } from '../schemas/contact.js';
import { issuesOf } from '../schemas/issues.js';
import { getApp } from './apps.js';
import { checkChannelTarget } from './channel-targets.js';
import type { ApiDeps } from './deps.js';
import { mergePatch } from './merge-patch.js';
import { namersOf } from './named-by.js';

/**
 * Contacts and contact groups (core/contacts.ts), an app's or installation-wide (`*`). What
 * leaves here has its targets' secrets masked, as notifiers'. An app's notifiers and groups
 * may name the app's contacts and the installation-wide ones; installation-wide ones, only
 * installation-wide ones. One that is named cannot be deleted (409 `contact_in_use`).
 */

/** A webhook secret Herald generated for a contact's channel (`index` in `channels`): returned this once, masked afterwards. */
export interface GeneratedSecret {
  index: number;
  secret: string;
}

/** What a change to a contact answers: the contact, secrets masked, and the webhook secrets it generated. */
export interface ContactChange {
  contact: Contact;
  secrets?: GeneratedSecret[];
}

export async function createContact(deps: ApiDeps, appId: string, input: ContactInputBody): Promise<ContactChange> {
  if (appId !== INSTALLATION.id) await getApp(deps, appId);
  await checkChannels(deps, input);
  const now = deps.clock().toISOString();
  const { channels, secrets } = withWebhookSecrets(input.channels);
  const contact: Contact = { id: newId('con'), appId, ...input, channels, createdAt: now, updatedAt: now };
  await deps.contacts.put(contact);
  deps.routing.invalidate(appId);
  return { contact: masked(contact), ...(secrets.length ? { secrets } : {}) };
}

export async function listContacts(deps: ApiDeps, appId: string): Promise<Contact[]> {
  if (appId !== INSTALLATION.id) await getApp(deps, appId);
  return (await deps.contacts.list(appId)).map(masked);
}

export const getContact = async (deps: ApiDeps, appId: string, id: string): Promise<Contact> => masked(await loadContact(deps, appId, id));

/** A merge patch; `channels` replaces the list, and a channel sent back as GET showed it (masks and all) keeps its secrets. */
export async function updateContact(deps: ApiDeps, appId: string, id: string, patch: Record<string, unknown>): Promise<ContactChange> {
  const current = await loadContact(deps, appId, id);
  const shown = masked(current);
  const channels = Array.isArray(patch['channels'])
    ? patch['channels'].map((sent, i) => {
        const was = current.channels[i];
        if (!was || !isRecord(sent) || sent['channel'] !== was.channel) return sent;
        return { ...sent, target: unmasked(sent['target'], was.target, shown.channels[i]?.target) };
      })
    : undefined;
  const { id: _id, appId: _appId, createdAt, updatedAt: _u, ...editable } = current;
  const parsed = await ContactInput.safeParseAsync(mergePatch(editable, { ...patch, ...(channels ? { channels } : {}) }));
  if (!parsed.success) throw new ValidationError('The contact would not be valid', issuesOf(parsed.error));
  const input = parsed.data as unknown as ContactInputBody;
  await checkChannels(deps, input);
  const { channels: signed, secrets } = withWebhookSecrets(input.channels);
  const updated: Contact = { id, appId, ...input, channels: signed, createdAt, updatedAt: deps.clock().toISOString() };
  await deps.contacts.put(updated);
  deps.routing.invalidate(appId);
  return { contact: masked(updated), ...(secrets.length ? { secrets } : {}) };
}

/**
 * Each webhook channel without a secret gets a generated one, as a webhook notifier does
 * (createNotifier), so that what reaches a contact's webhook is signed (Standard Webhooks).
 */
function withWebhookSecrets(channels: Contact['channels']): { channels: Contact['channels']; secrets: GeneratedSecret[] } {
  const secrets: GeneratedSecret[] = [];
  const signed = channels.map((c, index) => {
    if (c.channel !== 'webhook' || c.target['secret']) return c;
    const secret = generateWebhookSecret();
    secrets.push({ index, secret });
    return { ...c, target: { ...c.target, secret } };
  });
  return { channels: signed, secrets };
}

export async function deleteContact(deps: ApiDeps, appId: string, id: string): Promise<void> {
  const contact = await loadContact(deps, appId, id);
  await refuseInUse(deps, appId, id, `The contact "${contact.name}"`);
  await deps.contacts.delete(appId, id);
  deps.routing.invalidate(appId);
}

export async function createGroup(deps: ApiDeps, appId: string, input: ContactGroupInputBody): Promise<ContactGroup> {
  if (appId !== INSTALLATION.id) await getApp(deps, appId);
  await checkNamed(deps, appId, { contacts: input.members }, 'members');
  const now = deps.clock().toISOString();
  const group: ContactGroup = { id: newId('cgr'), appId, name: input.name, members: input.members, createdAt: now, updatedAt: now };
  await deps.contacts.putGroup(group);
  deps.routing.invalidate(appId);
  return group;
}

export async function listGroups(deps: ApiDeps, appId: string): Promise<ContactGroup[]> {
  if (appId !== INSTALLATION.id) await getApp(deps, appId);
  return deps.contacts.listGroups(appId);
}

export async function getGroup(deps: ApiDeps, appId: string, id: string): Promise<ContactGroup> {
  const group = await deps.contacts.getGroup(appId, id);
  if (!group) throw new NotFoundError(`Contact group ${id}`);
  return group;
}

export async function updateGroup(deps: ApiDeps, appId: string, id: string, patch: Record<string, unknown>): Promise<ContactGroup> {
  const { id: _id, appId: _a, createdAt, updatedAt: _u, ...editable } = await getGroup(deps, appId, id);
  const parsed = ContactGroupInput.safeParse(mergePatch(editable, patch));
  if (!parsed.success) throw new ValidationError('The group would not be valid', issuesOf(parsed.error));
  await checkNamed(deps, appId, { contacts: parsed.data.members }, 'members');
  const updated: ContactGroup = { id, appId, ...parsed.data, createdAt, updatedAt: deps.clock().toISOString() };
  await deps.contacts.putGroup(updated);
  deps.routing.invalidate(appId);
  return updated;
}

export async function deleteGroup(deps: ApiDeps, appId: string, id: string): Promise<void> {
  const group = await getGroup(deps, appId, id);
  await refuseInUse(deps, appId, id, `The group "${group.name}"`);
  await deps.contacts.deleteGroup(appId, id);
  deps.routing.invalidate(appId);
}

/**
 * Every contact and group named must be one the namer may name: its app's or an
 * installation-wide one (an installation-wide namer: installation-wide ones only). 400 naming
 * the first unknown one, `contacts[0]` (`members[2]` for a group's).
 */
export async function checkNamed(
  deps: Pick<ApiDeps, 'contacts'>,
  appId: string,
  named: { contacts?: string[] | undefined; groups?: string[] | undefined },
  contactsField = 'contacts',
): Promise<void> {
  const known = await namedHere(deps, appId, { contacts: !!named.contacts?.length, groups: !!named.groups?.length });
  for (const [field, ids, what] of [
    [contactsField, named.contacts ?? [], 'contact'],
    ['groups', named.groups ?? [], 'contact group'],
  ] as const) {
    const i = ids.findIndex((id) => !known.has(id));
    if (i >= 0)
      throw new ValidationError(`There is no ${what} ${ids[i]} here`, [{ path: `${field}[${i}]`, message: notHere(appId, what) }]);
  }
}

/** The ids of the contacts and/or groups a notifier or group of the app may name: the app's own and the installation-wide ones. */
export async function namedHere(
  deps: Pick<ApiDeps, 'contacts'>,
  appId: string,
  which: { contacts: boolean; groups: boolean },
): Promise<Set<string>> {
  const scopes = appId === INSTALLATION.id ? [INSTALLATION.id] : [appId, INSTALLATION.id];
  const [contacts, groups] = await Promise.all([
    which.contacts ? Promise.all(scopes.map((s) => deps.contacts.list(s))) : [],
    which.groups ? Promise.all(scopes.map((s) => deps.contacts.listGroups(s))) : [],
  ]);
  return new Set([...contacts.flat(), ...groups.flat()].map((c) => c.id));
}

/** What an id that is not there must be instead. */
export const notHere = (appId: string, what: string): string =>
  `must be ${appId === INSTALLATION.id ? 'an installation-wide' : "the app's or an installation-wide"} ${what}`;

/** 409 while a group or a notifier names it (to reach, in a step or a failover): those of its app, or of every app for an installation-wide one. */
async function refuseInUse(deps: ApiDeps, appId: string, id: string, what: string): Promise<void> {
  const users = await namersOf(deps, appId, id);
  if (users.length)
    throw new ContactInUseError(`${what} is named by ${users.map((u) => u.message).join(', ')}: take it out of them first`, users);
}

/** Each channel's target: no mask standing for no secret, and one Herald can send to. */
async function checkChannels(deps: ApiDeps, input: ContactInputBody): Promise<void> {
  for (const [i, { channel, target }] of input.channels.entries()) {
    const issue = maskedValue(target, ['channels', String(i), 'target']);
    if (issue) throw new ValidationError('The contact would not be valid', [issue]);
    await checkChannelTarget(deps, channel, target, `channels.${i}.`);
  }
}

async function loadContact(deps: ApiDeps, appId: string, id: string): Promise<Contact> {
  const contact = await deps.contacts.get(appId, id);
  if (!contact) throw new NotFoundError(`Contact ${id}`);
  return contact;
}

/** The contact with its targets' secrets masked, as each channel masks a notifier's. */
export function masked(contact: Contact): Contact {
  return { ...contact, channels: contact.channels.map((c) => ({ ...c, target: ADDRESSING[c.channel].maskTarget(c.target as never) })) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
