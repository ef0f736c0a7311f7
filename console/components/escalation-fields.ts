import { html } from '../html.js';
import { DurationField, inUnit } from './duration-field.js';
import { EntryList, type Entry, type EntryOptions } from './entry-list.js';
import { listErrors } from './people-picker.js';
import { Field, FieldError, type FieldErrors } from './ui.js';

type Step = { afterSeconds: number; notify: Entry[] };
export type Escalation = { steps: Step[]; repeat?: number };

/** A policy in a few words, for the notifiers list: "escalates in 2 steps (0 s, 10 min), 1 more round". */
export function escalationSummary(e: Escalation): string {
  const steps = `escalates in ${e.steps.length} step${e.steps.length === 1 ? '' : 's'} (${e.steps.map((s) => inUnit(s.afterSeconds)).join(', ')})`;
  return e.repeat ? `${steps}, ${e.repeat} more round${e.repeat === 1 ? '' : 's'}` : steps;
}

/**
 * An escalation policy: steps, each due some time after the incident opened and naming whom it
 * tells, while nobody acknowledges; and how many more rounds. Herald's errors show at the step.
 */
export function EscalationFields({
  value,
  onChange,
  options,
  errors,
}: {
  value: Escalation;
  onChange: (v: Escalation) => void;
  options: EntryOptions;
  errors: FieldErrors;
}) {
  const setStep = (i: number, step: Partial<Step>) =>
    onChange({ ...value, steps: value.steps.map((s, j) => (j === i ? { ...s, ...step } : s)) });
  const last = value.steps.at(-1)?.afterSeconds ?? -600;
  return html`<div class="escalation">
    <p class="muted small">
      For incidents: step 1 when it is due, each next one at its own time from the incident's opening, until someone acknowledges it or it
      recovers. Every step's deliveries are in the log.
    </p>
    ${value.steps.map(
      (step, i) => html`<fieldset class="nested escalation-step" data-step=${i + 1}>
        <legend>Step ${i + 1}</legend>
        <${DurationField}
          key=${`${value.steps.length}/${i}`}
          id=${`esc-${i}-after`}
          label=${`Step ${i + 1}: after`}
          hint="from the incident's opening (0: at once)"
          seconds=${step.afterSeconds}
          error=${errors[`escalation.steps.${i}.afterSeconds`]}
          onChange=${(s: number | undefined) => setStep(i, { afterSeconds: s ?? 0 })}
        />
        <${EntryList}
          id=${`esc-${i}-notify`}
          legend=${`Step ${i + 1}: who`}
          options=${options}
          value=${step.notify}
          onChange=${(notify: Entry[]) => setStep(i, { notify })}
          error=${listErrors(errors, `escalation.steps.${i}.notify`) ?? errors[`escalation.steps.${i}`]}
          addLabel="Add whom it tells"
        />
        <button
          class="button small ghost"
          type="button"
          disabled=${value.steps.length === 1}
          aria-label=${`Remove step ${i + 1}`}
          onClick=${() => onChange({ ...value, steps: value.steps.filter((_, j) => j !== i) })}
        >
          Remove step
        </button>
      </fieldset>`,
    )}
    <${FieldError} error=${errors['escalation'] ?? errors['escalation.steps']} id="escalation-error" />
    <button
      class="button small"
      type="button"
      disabled=${value.steps.length >= 10}
      onClick=${() => onChange({ ...value, steps: [...value.steps, { afterSeconds: last + 600, notify: [] }] })}
    >
      Add a step
    </button>
    <${Field}
      id="esc-repeat"
      label="More rounds"
      hint="how many times the steps run again while nobody acknowledges (0 to 10)"
      error=${errors['escalation.repeat']}
    >
      <input
        id="esc-repeat"
        type="number"
        min="0"
        max="10"
        value=${value.repeat ?? 0}
        aria-describedby="esc-repeat-hint"
        onInput=${(e: Event) => {
          const repeat = Number((e.target as HTMLInputElement).value);
          const { repeat: _old, ...rest } = value;
          onChange(repeat ? { ...rest, repeat } : rest);
        }}
      />
    <//>
    <p class="muted small escalation-summary" aria-live="polite">${escalationSummary(value)}</p>
  </div>`;
}
