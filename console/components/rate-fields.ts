import { html } from '../html.js';
import { errorsUnder, FieldError, type FieldErrors } from './ui.js';

export type Rate = { perSecond: number; burst?: number };

/** "at most 1/s, bursts of 3": a notifier's own pace. */
export const rateSummary = (r: Rate): string => `at most ${r.perSecond}/s${r.burst && r.burst > 1 ? `, bursts of ${r.burst}` : ''}`;

/**
 * How fast a notifier's deliveries may reach their destination: the provider's published rate
 * (Slack 1/s, bursts of 3...; a webhook unpaced), or one of its own.
 */
export function RateFields({ value, onChange, errors }: { value?: Rate | null; onChange: (v: Rate | null) => void; errors: FieldErrors }) {
  const v = value ?? { perSecond: 1, burst: 1 };
  const number = (id: string, label: string, field: keyof Rate, attrs: Record<string, string>) =>
    html`<label
      >${label}
      <input
        id=${id}
        type="number"
        ...${attrs}
        value=${v[field] ?? ''}
        aria-invalid=${errors[`rate.${field}`] ? 'true' : undefined}
        onInput=${(e: Event) => onChange({ ...v, [field]: Number((e.target as HTMLInputElement).value) })}
    /></label>`;
  return html`<fieldset class="rate">
    <legend>Pace</legend>
    <select aria-label="Pace" value=${value ? 'custom' : 'default'} onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value === 'custom' ? v : null)}>
      <option value="default">The provider's published rate (webhooks: unpaced)</option>
      <option value="custom">My own rate</option>
    </select>
    ${
      value
        ? html`<div class="grid2">
            ${number('rate-per-second', 'Per second', 'perSecond', { min: '0.001', step: 'any' })}
            ${number('rate-burst', 'Bursts of', 'burst', { min: '1', step: '1' })}
          </div>`
        : null
    }
    <${FieldError} error=${errorsUnder(errors, 'rate')} />
  </fieldset>`;
}
