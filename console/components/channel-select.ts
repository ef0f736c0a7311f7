import type { Installation } from '../api.js';
import { html } from '../html.js';

/** The channels of the installation by family, those whose provider is not set up marked so: a notifier's, a contact's. */
export function ChannelSelect({
  id,
  installation,
  value,
  disabled,
  onChange,
}: {
  id: string;
  installation: Installation;
  value: string;
  disabled?: boolean;
  onChange: (channel: string) => void;
}) {
  const families = [...new Set(installation.channels.map((c) => c.family))];
  return html`<select id=${id} value=${value} disabled=${disabled} onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
    ${families.map(
      (family) =>
        html`<optgroup label=${family}>
          ${installation.channels
            .filter((c) => c.family === family)
            .map((c) => html`<option value=${c.name}>${c.name}${c.ready ? '' : ' (not set up)'}</option>`)}
        </optgroup>`,
    )}
  </select>`;
}
