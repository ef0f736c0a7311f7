/// <reference lib="webworker" />
/**
 * The console's service worker: shows the Web Push notifications Herald sends to a
 * `web_push` notifier made by "Notify this browser" (`{title, body, url, severity, eventId}`),
 * and opens the link when one is clicked. The console need not be open.
 */
declare const self: ServiceWorkerGlobalScope;

self.addEventListener('push', (event) => {
  const payload = (event.data?.json() ?? {}) as { title?: string; body?: string; url?: string; severity?: string; eventId?: string };
  event.waitUntil(
    self.registration.showNotification(payload.title ?? 'Herald', {
      body: payload.body ?? '',
      tag: payload.eventId,
      icon: 'icon.svg',
      requireInteraction: payload.severity === 'critical',
      data: { url: payload.url ?? self.registration.scope },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow((event.notification.data as { url: string }).url));
});
