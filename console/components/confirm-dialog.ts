import { errorText } from '../api.js';
import { html, useState, type ComponentChildren } from '../html.js';
import { Dialog, ErrorNote } from './ui.js';

/**
 * Asks before doing something that cannot be taken back (a delete): what it does, one button
 * that does it, Cancel. Herald's refusal (a 409 naming who still uses it) shows in the dialog,
 * which stays open.
 */
export function ConfirmDialog({
  title,
  action,
  run,
  onClose,
  onDone,
  children,
}: {
  title: string;
  action: string;
  run: () => Promise<unknown>;
  onClose: () => void;
  onDone: () => void;
  children?: ComponentChildren;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      await run();
      onDone();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return html`<${Dialog} title=${title} onClose=${onClose}>
    ${children}
    <${ErrorNote} error=${error} />
    <div class="dialog-actions">
      <button class="button danger" type="button" disabled=${busy} onClick=${go}>${action}</button>
      <button class="button" type="button" onClick=${onClose}>Cancel</button>
    </div>
  <//>`;
}

/** A row's Edit and Delete, each named after the row for a screen reader ("Delete Anna"). */
export function EditDeleteCell({ name, onEdit, onDelete }: { name: string; onEdit: () => void; onDelete: () => void }) {
  return html`<td class="row-actions">
    <button class="button small" type="button" aria-label=${`Edit ${name}`} onClick=${onEdit}>Edit</button>
    <button class="button small danger" type="button" aria-label=${`Delete ${name}`} onClick=${onDelete}>Delete</button>
  </td>`;
}
