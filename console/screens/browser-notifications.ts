import { api, errorText } from '../api.js';
import { ErrorNote } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';

/** Which web_push notifier this browser made for an app (not a secret: a notifier id). */
const SAVED = (appId: string) => `herald.push.${appId}`;

/**
 * Cloud 66's browser notifications: this browser subscribes through Web Push (the service
 * worker Herald serves, the installation's VAPID key) as a `web_push` notifier with the
 * selection picked here, so that desktop notifications arrive with the console closed.
 * Unsubscribing deletes the notifier.
 */
export function BrowserNotifications({ appId, onChange }: { appId: string; onChange: () => void }) {
  const installation = useLoad(() => api.get('/v1/installation', {}), []);
  const [saved, setSaved] = useState(localStorage.getItem(SAVED(appId)));
  const [events, setEvents] = useState('@crash, @monitoring, @alert');
  const [severity, setSeverity] = useState<'info' | 'warning' | 'critical'>('warning');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const publicKey = installation.data?.webPush?.publicKey;
  const supported = 'serviceWorker' in navigator && 'PushManager' in window;

  const subscribe = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if ((await Notification.requestPermission()) !== 'granted') throw new Error('This browser did not allow notifications.');
      const registration = await navigator.serviceWorker.register('sw.js', { scope: './' });
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: fromBase64Url(publicKey as string),
      });
      const { notifier } = await api.post('/v1/apps/{appId}/notifiers', {
        path: { appId },
        body: {
          name: `This browser (${navigator.platform || 'web'})`,
          channel: 'web_push',
          target: { subscriptions: [subscription.toJSON() as never] },
          events: events.split(/[\s,]+/).filter(Boolean),
          minSeverity: severity,
        } as never,
      });
      localStorage.setItem(SAVED(appId), notifier.id);
      setSaved(notifier.id);
      onChange();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const unsubscribe = async () => {
    setBusy(true);
    try {
      if (saved) await api.delete('/v1/apps/{appId}/notifiers/{id}', { path: { appId, id: saved } }).catch(() => undefined);
      const registration = await navigator.serviceWorker.getRegistration('./');
      await (await registration?.pushManager.getSubscription())?.unsubscribe();
      localStorage.removeItem(SAVED(appId));
      setSaved(null);
      onChange();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="card browser-notifications" aria-labelledby="bn-title">
    <h2 id="bn-title">Browser notifications</h2>
    <${ErrorNote} error=${error} />
    ${
      !supported
        ? html`<p class="muted">This browser has no Web Push.</p>`
        : installation.data && !publicKey
          ? html`<p class="muted">
              Set the installation's VAPID keys (<code>webPush</code> in the provider settings) to get notifications in this browser.
            </p>`
          : saved
            ? html`<p>This browser gets ${appId}'s notifications, even with the console closed.</p>
                <button class="button" type="button" disabled=${busy} onClick=${unsubscribe}>Stop notifying this browser</button>`
            : html`<p class="muted">Desktop notifications from ${appId}, through Web Push, even when the console is closed.</p>
                <div class="grid2">
                  <label>Events <input value=${events} onInput=${(e: Event) => setEvents((e.target as HTMLInputElement).value)} /></label>
                  <label
                    >At least
                    <select value=${severity} onChange=${(e: Event) => setSeverity((e.target as HTMLSelectElement).value as 'info')}>
                      <option value="info">info</option>
                      <option value="warning">warning</option>
                      <option value="critical">critical</option>
                    </select></label
                  >
                </div>
                <button class="button primary" type="button" disabled=${busy || !publicKey} onClick=${subscribe}>
                  Notify this browser
                </button>`
    }
  </section>`;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(
    text
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(text.length / 4) * 4, '='),
  );
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}
