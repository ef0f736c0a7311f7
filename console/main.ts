import { signedIn, signOut } from './api.js';
import { html, render, useEffect, useState } from './html.js';
import { Shell } from './shell.js';
import { SignIn } from './screens/sign-in.js';

/** The console: sign in with the admin key, then every screen in one shell. */
function Console() {
  const [signed, setSigned] = useState(signedIn());
  useEffect(() => {
    // A key Herald stopped taking (a restart with another admin key) signs out.
    const onUnauthorized = () => setSigned(false);
    addEventListener('herald:unauthorized', onUnauthorized);
    return () => removeEventListener('herald:unauthorized', onUnauthorized);
  }, []);
  if (!signed) return html`<${SignIn} onSignedIn=${() => setSigned(true)} />`;
  return html`<${Shell}
    onSignOut=${() => {
      signOut();
      setSigned(false);
    }}
  />`;
}

const theme = localStorage.getItem('herald.theme');
if (theme) document.documentElement.dataset['theme'] = theme;
render(html`<${Console} />`, document.getElementById('root') as HTMLElement);
