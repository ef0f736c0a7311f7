import type { Severity } from './types.js';

/** What Herald knows about an event type: how to group it, how bad it is by default. */
export interface EventTypeInfo {
  type: string;
  category: string;
  displayName: string;
  description: string;
  severity: Severity;
  critical: boolean;
}

type Row = [type: string, category: string, displayName: string, description: string, severity?: Severity];

// Critical types are those whose severity is `critical`: the default notifier emails them.
const ROWS: Row[] = [
  ['app_created', 'lifecycle', 'App created', 'The app was registered with Herald'],
  ['app_deleted', 'lifecycle', 'App deleted', 'The app was deleted'],
  ['notifier_added', 'lifecycle', 'Notifier added', 'A notifier was added to the app'],
  ['notifier_edited', 'lifecycle', 'Notifier edited', 'A notifier of the app was changed'],
  ['notifier_removed', 'lifecycle', 'Notifier removed', 'A notifier was removed from the app'],
  ['notifier_disabled', 'lifecycle', 'Notifier disabled', 'Herald disabled a notifier whose endpoint kept failing', 'critical'],
  ['app_deployed', 'deployment', 'App deployed', 'A deployment of the app succeeded'],
  ['app_restarted', 'deployment', 'App restarted', 'The app was restarted'],
  ['stack.deploy.started', 'deployment', 'Deployment started', 'A stack deployment started'],
  ['stack.provision.ok', 'deployment', 'Stack provisioned', 'A stack was provisioned'],
  ['stack.provision.fail', 'deployment', 'Stack provisioning failed', 'Provisioning a stack failed', 'critical'],
  ['stack.redeploy.ok', 'deployment', 'Stack redeployed', 'A stack was redeployed'],
  ['stack.redeploy.fail', 'deployment', 'Stack redeploy failed', 'Redeploying a stack failed', 'critical'],
  ['stack.redeploy.hook.fail', 'deployment', 'Deploy hook failed', 'A deploy hook failed during a redeploy', 'critical'],
  ['app_crashed', 'crash', 'App crashed', 'The app crashed', 'critical'],
  ['app_crashed_repeated', 'crash', 'App crashing repeatedly', 'The app crashed several times in a row', 'critical'],
  ['exception', 'crash', 'New exception', 'A new runtime exception or custom error', 'critical'],
  ['app_alert_triggered', 'alert', 'Alert triggered', 'An alert on the app fired', 'critical'],
  ['monitor.down', 'monitoring', 'Monitor down', 'A monitor found the target down', 'critical'],
  ['monitor.recovery', 'monitoring', 'Monitor recovered', 'A monitor found the target up again'],
  ['monitor.degraded', 'monitoring', 'Monitor degraded', 'A monitor found the target slow or partly failing', 'warning'],
  ['ssl.expiring', 'monitoring', 'Certificate expiring', 'A TLS certificate expires soon', 'critical'],
  ['heartbeat.missed', 'monitoring', 'Heartbeat missed', 'A server stopped sending heartbeats', 'critical'],
  ['agent.stale', 'monitoring', 'Agent stale', 'A monitoring agent stopped reporting', 'critical'],
  ['server.stopped', 'monitoring', 'Server stopped', 'A server stopped', 'critical'],
  ['server.offline', 'monitoring', 'Server offline', 'A server went offline', 'critical'],
  ['server.backon', 'monitoring', 'Server back on', 'A server is back on'],
  ['job.fail', 'monitoring', 'Job failed', 'A background job failed', 'critical'],
  ['process.down', 'monitoring', 'Process down', 'A process went down', 'critical'],
  ['container.down', 'monitoring', 'Container down', 'A container went down', 'critical'],
  ['database_backup_failed', 'database', 'Backup failed', 'A database backup failed', 'critical'],
  ['database_backup_succeeded', 'database', 'Backup succeeded', 'A database backup succeeded'],
];

export const CATALOG: ReadonlyMap<string, EventTypeInfo> = new Map(
  ROWS.map(([type, category, displayName, description, severity = 'info']) => [
    type,
    { type, category, displayName, description, severity, critical: severity === 'critical' },
  ]),
);

export const CRITICAL_TYPES: readonly string[] = [...CATALOG.values()].filter((t) => t.critical).map((t) => t.type);

/** A known type's entry, or a `custom` one built from the type itself. */
export function describeEventType(type: string): EventTypeInfo {
  return (
    CATALOG.get(type) ?? {
      type,
      category: 'custom',
      displayName: type,
      description: 'A custom event type',
      severity: 'info',
      critical: false,
    }
  );
}
