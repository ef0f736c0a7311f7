import { html, useEffect, useRef, useState, type ComponentChildren } from '../html.js';

/** Small pieces every screen uses: times, statuses, empty states, errors, dialogs, copy. */

const today = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const thisYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const older = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A time in the browser's time zone (as short as it can be told apart: today's is its time); the UTC time on hover. */
export function Time({ at }: { at?: string | null }) {
  if (!at) return html`<span class="muted">—</span>`;
  const date = new Date(at);
  const now = new Date();
  const format = date.toDateString() === now.toDateString() ? today : date.getFullYear() === now.getFullYear() ? thisYear : older;
  return html`<time datetime=${at} title=${`${date.toISOString().replace('T', ' ').slice(0, 19)} UTC`}>${format.format(date)}</time>`;
}

export function ago(at: string): string {
  const seconds = Math.round((Date.now() - Date.parse(at)) / 1000);
  if (seconds < 60) return `${Math.max(0, seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** How far a time is from now, either way: "3 min ago", "in 4 h". */
export function relative(at: string): string {
  const ms = Date.parse(at) - Date.now();
  if (ms <= 0) return ago(at);
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'in less than a minute';
  if (minutes < 60) return `in ${minutes} min`;
  if (minutes < 36 * 60) return `in ${Math.round(minutes / 60)} h`;
  return `in ${Math.round(minutes / 1440)} d`;
}

/** A time as far from now ("in 4 h"), with the time itself on hover (local, then UTC). */
export function When({ at }: { at: string }) {
  const date = new Date(at);
  const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  return html`<time datetime=${at} title=${`${local} (${date.toISOString().replace('T', ' ').slice(0, 19)} UTC)`}>${relative(at)}</time>`;
}

export function Status({ status }: { status: string }) {
  return html`<span class=${`status status-${status}`}>${status}</span>`;
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return html`<div class="empty">
    <strong>${title}</strong>
    <div>${children}</div>
  </div>`;
}

export function ErrorNote({ error }: { error?: string | undefined }) {
  return error ? html`<p class="error-note" role="alert">${error}</p>` : null;
}

export function Page({ title, actions, children }: { title: string; actions?: ComponentChildren; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // A new screen takes the focus, so that a screen reader says where the user is.
  useEffect(() => heading.current?.focus(), [title]);
  return html`<section class="page">
    <header class="page-head">
      <h1 tabindex="-1" ref=${heading}>${title}</h1>
      <div class="actions">${actions}</div>
    </header>
    ${children}
  </section>`;
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setDone(true);
    setTimeout(() => setDone(false), 1500);
  };
  return html`<button type="button" class="button small" onClick=${copy}>${done ? 'Copied' : label}</button>`;
}

/** A modal dialog (the browser's <dialog>: focus trapped, Escape closes it). */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children?: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return html`<dialog ref=${ref} class="dialog" aria-label=${title} onClose=${onClose}>
    <h2>${title}</h2>
    ${children}
  </dialog>`;
}

/** A labelled form field, with the API's error for its path under it. */
export function Field({
  label,
  hint,
  error,
  children,
  id,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children?: ComponentChildren;
  id: string;
}) {
  return html`<div class=${`field${error ? ' invalid' : ''}`}>
    <label for=${id}>${label}</label>
    ${children} ${hint ? html`<small class="hint" id=${`${id}-hint`}>${hint}</small>` : null}
    ${error ? html`<small class="field-error" id=${`${id}-error`} role="alert">${error}</small>` : null}
  </div>`;
}

/** The API's field errors, by path (`target.url`, `events.0`). */
export type FieldErrors = Record<string, string>;

export function fieldErrors(details: { path: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const d of details) out[d.path] = out[d.path] ? `${out[d.path]}; ${d.message}` : d.message;
  return out;
}

/** Errors under a path (its own and its children's), for a section of a form. */
export function errorsUnder(errors: FieldErrors, prefix: string): string | undefined {
  const found = Object.entries(errors).filter(([p]) => p === prefix || p.startsWith(`${prefix}.`));
  return found.length ? found.map(([p, m]) => (p === prefix ? m : `${p.slice(prefix.length + 1)}: ${m}`)).join('; ') : undefined;
}

/**
 * A table of rows: its headings, and a last hidden one ("Actions") when its rows end with
 * buttons. Wide tables scroll on their own on a phone.
 */
export function Table({
  head,
  actions,
  className,
  live,
  children,
}: {
  head: string[];
  actions?: boolean;
  className?: string;
  live?: boolean;
  children?: ComponentChildren;
}) {
  return html`<div class="table-wrap">
    <table class=${className} aria-live=${live ? 'polite' : undefined}>
      <thead>
        <tr>
          ${head.map((h) => html`<th>${h}</th>`)}${actions ? html`<th><span class="visually-hidden">Actions</span></th>` : null}
        </tr>
      </thead>
      <tbody>
        ${children}
      </tbody>
    </table>
  </div>`;
}

/** The API's error for a field, under it. */
export const FieldError = ({ error, id }: { error?: string | undefined; id?: string }) =>
  error ? html`<small class="field-error" id=${id} role="alert">${error}</small>` : null;
