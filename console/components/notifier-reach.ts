import type { Installation, Notifier } from '../api.js';
import { html } from '../html.js';
import { ChannelSelect } from './channel-select.js';
import type { EntryOptions } from './entry-list.js';
import { EscalationFields, type Escalation } from './escalation-fields.js';
import { PeoplePicker } from './people-picker.js';
import { SchemaForm, type NotifierSchemas } from './schema-form.js';
import { Field, FieldError, type FieldErrors } from './ui.js';
import { useContacts } from './use-contacts.js';

type Form = Record<string, any>;
export type Reach = 'channel' | 'people' | 'escalation';

/** How a notifier reaches people, from what it has: an escalation policy, contacts or groups, else a channel. */
export const reachOf = (form: Form): Reach =>
  form['escalation'] ? 'escalation' : form['contacts'] || form['groups'] ? 'people' : 'channel';

const NONE = { channel: null, target: null, contacts: null, groups: null, escalation: null };
/** The fields a notifier has for each way (one way only: the API refuses two). */
const SWITCHED: Record<Reach, (f: Form) => Form> = {
  channel: (f) => ({ ...NONE, channel: f['channel'] ?? 'webhook', target: f['channel'] ? f['target'] : {} }),
  people: () => ({ ...NONE, contacts: [], groups: [] }),
  // A policy's steps' notifiers fail over as they are set up: the policy has no failover of its own.
  escalation: () => ({ ...NONE, failover: null, escalation: { steps: [{ afterSeconds: 0, notify: [] }] } }),
};

/**
 * Who a notifier reaches: a channel and its target (the fields from the channel's schema),
 * contacts and groups picked from the app's and the installation-wide ones, or an escalation
 * policy's steps.
 */
export function NotifierReach({
  appId,
  form,
  notifier,
  setForm,
  set,
  schemas,
  installation,
  entryOptions,
  errors,
}: {
  appId: string;
  entryOptions: EntryOptions;
  form: Form;
  notifier?: Notifier | undefined;
  setForm: (change: (f: Form) => Form) => void;
  set: (field: string, value: unknown) => void;
  schemas: NotifierSchemas;
  installation: Installation;
  errors: FieldErrors;
}) {
  const people = useContacts(appId);
  const reach = reachOf(form);
  const channel = installation.channels.find((c) => c.name === form['channel']);
  const ways: [Reach, string][] = [
    ['channel', 'A channel'],
    ['people', 'Contacts and groups'],
    // Where the API has escalation policies (issue 18).
    ...(schemas.fields['escalation'] ? [['escalation', 'An escalation policy'] as [Reach, string]] : []),
  ];
  return html`<fieldset class="reach">
    <legend>Who it reaches</legend>
    <div class="choice" role="radiogroup" aria-label="Who it reaches">
      ${ways.map(
        ([way, label]) =>
          html`<label class="check"
            ><input type="radio" name="reach" value=${way} checked=${reach === way} onChange=${() => setForm((f) => ({ ...f, ...SWITCHED[way](f) }))} />
            ${label}</label
          >`,
      )}
    </div>
    ${
      reach === 'escalation'
        ? html`<${EscalationFields}
            value=${form['escalation']}
            onChange=${(v: Escalation) => set('escalation', v)}
            options=${entryOptions}
            errors=${errors}
          />`
        : reach === 'channel'
          ? html`<${Field}
              id="n-channel"
              label="Channel"
              error=${errors['channel']}
              hint=${channel && !channel.ready ? `Needs the installation's "${channel.missing}" provider setting.` : undefined}
            >
              <${ChannelSelect}
                id="n-channel"
                installation=${installation}
                value=${form['channel']}
                disabled=${!!notifier?.channel}
                onChange=${(channel: string) => setForm((f) => ({ ...f, channel, target: {} }))}
              />
            <//>
            <fieldset class="target nested">
              <legend>Where it sends (${form['channel']})</legend>
              ${
                schemas.targets[form['channel']]
                  ? html`<${SchemaForm}
                      key=${form['channel']}
                      schema=${schemas.targets[form['channel']]}
                      value=${form['target'] ?? {}}
                      masked=${notifier?.channel === form['channel'] ? notifier?.target : undefined}
                      onChange=${(t: Form) => set('target', t)}
                      errors=${errors}
                      path="target"
                    />`
                  : html`<p class="muted">No schema for this channel.</p>`
              }
            </fieldset>`
          : html`<p class="muted small">
              Each contact gets the event on each of its channels that wants its severity, in their language and time zone, with their own
              quiet hours; once, even when two groups name them.
            </p>
            <${FieldError} error=${errors['channel']} id="n-reach-error" />
            <${PeoplePicker}
              id="n-contacts"
              legend="Contacts"
              options=${people.data?.contacts ?? []}
              value=${form['contacts'] ?? []}
              onChange=${(ids: string[]) => set('contacts', ids)}
              errors=${errors}
              field="contacts"
              empty=${people.loading ? 'Loading…' : 'No contacts yet: add them under Contacts.'}
            />
            <${PeoplePicker}
              id="n-groups"
              legend="Groups"
              options=${people.data?.groups ?? []}
              value=${form['groups'] ?? []}
              onChange=${(ids: string[]) => set('groups', ids)}
              errors=${errors}
              field="groups"
              empty=${people.loading ? 'Loading…' : 'No groups yet: add them under Groups.'}
            />`
    }
  </fieldset>`;
}
