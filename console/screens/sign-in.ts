import { signIn } from '../api.js';
import { html, useState } from '../html.js';

/** Sign-in with the admin key. The key is kept in this tab's sessionStorage only, never in the page. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('key') as HTMLInputElement;
    setBusy(true);
    try {
      await signIn(input.value);
      input.value = '';
      onSignedIn();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="sign-in">
    <form class="card" onSubmit=${submit} aria-describedby="sign-in-help">
      <div class="brand big"><img src="icon.svg" alt="" width="36" height="36" /> Herald</div>
      <h1>Sign in to the console</h1>
      <p id="sign-in-help" class="muted">
        Paste the admin key. <code>npm start</code> prints it (and keeps it in <code>.herald/admin-key</code>); on AWS it is in the secret
        the stack's <code>AdminKeySecret</code> output names. It stays in this tab until you sign out or close it.
      </p>
      <div class=${`field${error ? ' invalid' : ''}`}>
        <label for="key">Admin key</label>
        <input
          id="key"
          name="key"
          type="password"
          autocomplete="off"
          spellcheck="false"
          placeholder="hrd_admin_…"
          required
          aria-invalid=${error ? 'true' : undefined}
          aria-describedby=${error ? 'key-error' : undefined}
        />
        ${error ? html`<small class="field-error" id="key-error" role="alert">${error}</small>` : null}
      </div>
      <button class="button primary" type="submit" disabled=${busy}>${busy ? 'Checking…' : 'Sign in'}</button>
    </form>
  </main>`;
}
