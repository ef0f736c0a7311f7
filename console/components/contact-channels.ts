import type { Installation } from '../api.js';
import { html } from '../html.js';
import { ChannelSelect } from './channel-select.js';
import { SchemaForm, type NotifierSchemas } from './schema-form.js';
import { Field, FieldError, type FieldErrors } from './ui.js';

type Target = Record<string, unknown>;
// A type, not an interface: the patch's channels are records, which an interface is not.
export type ContactChannelRow = {
  channel: string;
  target: Target;
  minSeverity?: string;
};

/**
 * A contact's channels, one row each: the channel, its target's fields as the notifier form
 * makes them (from the channel's schema in /openapi.json), and the severity it starts at. A
 * target shown masked (a secret) is sent back as it came, which keeps the secret.
 */
export function ContactChannels({
  value,
  saved,
  onChange,
  schemas,
  installation,
  errors,
}: {
  value: ContactChannelRow[];
  /** The channels as Herald gave them (masked), for the placeholders of secrets. */
  saved: ContactChannelRow[];
  onChange: (rows: ContactChannelRow[]) => void;
  schemas: NotifierSchemas;
  installation: Installation;
  errors: FieldErrors;
}) {
  const change = (i: number, row: Partial<ContactChannelRow>) => onChange(value.map((r, j) => (j === i ? { ...r, ...row } : r)));
  return html`<fieldset class=${`contact-channels${errors['channels'] ? ' invalid' : ''}`}>
    <legend>Channels: where this person is reached</legend>
    ${value.map((row, i) => {
      const id = `c-channel-${i}`;
      const before = saved[i]?.channel === row.channel ? saved[i]?.target : undefined;
      return html`<fieldset class="nested contact-channel" data-channel-row=${i} aria-label=${`Channel ${i + 1}`}>
        <legend>Channel ${i + 1}</legend>
        <div class="grid2">
          <${Field} id=${id} label="Channel" error=${errors[`channels.${i}.channel`]}>
            <${ChannelSelect} id=${id} installation=${installation} value=${row.channel} onChange=${(channel: string) => change(i, { channel, target: {} })} />
          <//>
          <${Field} id=${`${id}-severity`} label="For events from" error=${errors[`channels.${i}.minSeverity`]}>
            <select
              id=${`${id}-severity`}
              value=${row.minSeverity === 'info' ? '' : (row.minSeverity ?? '')}
              onChange=${(e: Event) => {
                const minSeverity = (e.target as HTMLSelectElement).value;
                onChange(value.map((r, j) => (j === i ? withSeverity(r, minSeverity) : r)));
              }}
            >
              <option value="">any severity the notifier sends</option>
              <option value="warning">warning up</option>
              <option value="critical">critical only</option>
            </select>
          <//>
        </div>
        ${
          schemas.targets[row.channel]
            ? html`<${SchemaForm}
                key=${`${i}/${row.channel}`}
                schema=${schemas.targets[row.channel]}
                value=${row.target}
                masked=${before}
                onChange=${(target: Target) => change(i, { target })}
                errors=${errors}
                path=${`channels.${i}.target`}
              />`
            : html`<p class="muted">No schema for this channel.</p>`
        }
        <${FieldError} error=${errors[`channels.${i}`]} />
        <button
          class="button small ghost"
          type="button"
          disabled=${value.length === 1}
          aria-label=${`Remove channel ${i + 1} (${row.channel})`}
          onClick=${() => onChange(value.filter((_, j) => j !== i))}
        >
          Remove
        </button>
      </fieldset>`;
    })}
    <${FieldError} error=${errors['channels']} />
    <button
      class="button small"
      type="button"
      disabled=${value.length >= 10}
      onClick=${() => onChange([...value, { channel: 'email', target: {} }])}
    >
      Add a channel
    </button>
  </fieldset>`;
}

const withSeverity = (row: ContactChannelRow, minSeverity: string): ContactChannelRow => {
  const { minSeverity: _old, ...rest } = row;
  return minSeverity ? { ...rest, minSeverity } : rest;
};
