import { html, useState, type ComponentChildren } from '../html.js';
import { ConfirmDialog, EditDeleteCell } from './confirm-dialog.js';
import { Empty, ErrorNote, Page, Table } from './ui.js';
import type { Loaded } from './use-load.js';

/**
 * A screen of an app's named things (contacts, groups): New, the form for a new one or the one
 * being edited, a row each with Edit and Delete (`data-<noun>` names the row), and the dialog
 * that asks before a delete. The screen says what its rows and its form hold.
 */
export function NamedList<T extends { id: string; name: string }>({
  noun,
  title,
  intro,
  error,
  list,
  empty,
  head,
  cells,
  form,
  remove,
  removeNote,
}: {
  /** "contact": New contact, Delete contact, `data-contact`, the table's class (`contacts`). */
  noun: string;
  title: string;
  intro: ComponentChildren;
  error?: string | undefined;
  list: Loaded<T[]>;
  empty: { title: string; text: string };
  head: string[];
  cells: (item: T) => ComponentChildren;
  /** The form for `item` (undefined: a new one), keyed by the caller; null while it cannot show yet. */
  form: (item: T | undefined, saved: () => void, cancel: () => void) => ComponentChildren;
  remove: (item: T) => Promise<unknown>;
  removeNote: (item: T) => ComponentChildren;
}) {
  // The form: a new one (null) or the one being edited.
  const [editing, setEditing] = useState<T | null>();
  const [deleting, setDeleting] = useState<T>();
  const done = () => {
    setEditing(undefined);
    setDeleting(undefined);
    list.reload();
  };
  return html`<${Page}
    title=${title}
    actions=${editing === undefined ? html`<button class="button primary" type="button" onClick=${() => setEditing(null)}>New ${noun}</button>` : null}
  >
    <p class="muted">${intro}</p>
    <${ErrorNote} error=${list.error ?? error} />
    ${editing !== undefined ? form(editing ?? undefined, done, () => setEditing(undefined)) : null}
    ${list.loading && !list.data ? html`<p class="muted" aria-live="polite">Loading…</p>` : null}
    ${list.data && !list.data.length ? html`<${Empty} title=${empty.title}>${empty.text}</${Empty}>` : null}
    ${
      list.data?.length
        ? html`<${Table} head=${head} actions className=${`${noun}s`}>
            ${list.data.map(
              (item) => html`<tr ...${{ [`data-${noun}`]: item.name }} data-id=${item.id}>
                ${cells(item)}
                <${EditDeleteCell} name=${item.name} onEdit=${() => setEditing(item)} onDelete=${() => setDeleting(item)} />
              </tr>`,
            )}
          <//>`
        : null
    }
    ${
      deleting
        ? html`<${ConfirmDialog}
            title=${`Delete ${deleting.name}?`}
            action=${`Delete ${noun}`}
            run=${() => remove(deleting)}
            onClose=${() => setDeleting(undefined)}
            onDone=${done}
          >
            ${removeNote(deleting)}
          <//>`
        : null
    }
  <//>`;
}
