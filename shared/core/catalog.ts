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

// The types of the products Herald's users come from (Scalingo, Cloud 66, Monitron, PM2
// Plus, Appmonitor) and Herald's own. Critical types are those whose severity is
// `critical`: the default notifier emails them.
const ROWS: Row[] = [
  // Herald's own
  ['app_created', 'lifecycle', 'App created', 'The app was registered with Herald'],
  ['app_deleted', 'lifecycle', 'App deleted', 'The app was deleted', 'warning'],
  ['notifier_added', 'lifecycle', 'Notifier added', 'A notifier was added to the app'],
  ['notifier_edited', 'lifecycle', 'Notifier edited', 'A notifier of the app was changed'],
  ['notifier_removed', 'lifecycle', 'Notifier removed', 'A notifier was removed from the app'],
  ['notifier_disabled', 'lifecycle', 'Notifier disabled', 'Herald disabled a notifier whose endpoint kept failing', 'critical'],
  ['notifier_test', 'lifecycle', 'Test notification', 'A test sent to check that a notifier works'],
  ['group', 'lifecycle', 'Grouped notification', "Events of a notifier's group, told together (its grouping settings)"],
  ['digest', 'lifecycle', 'Digest', "A notifier's events of a window, told in one message (its digest settings)"],
  ['incident.acknowledged', 'lifecycle', 'Incident acknowledged', 'Someone acknowledged an incident (told to whoever was told of it)'],
  ['incident.resolved', 'lifecycle', 'Incident resolved', 'Someone resolved an incident by hand (told to whoever was told of it)'],
  ['server.online', 'monitoring', 'Server back online', 'A server that had gone silent sends heartbeats again'],
  // Scalingo
  ['addon_db_upgraded', 'addon', 'Database upgraded', 'An addon database was upgraded'],
  ['addon_deleted', 'addon', 'Addon deleted', 'An addon was removed from the app', 'warning'],
  ['addon_plan_changed', 'addon', 'Addon plan changed', 'An addon changed plan'],
  ['addon_provisioned', 'addon', 'Addon provisioned', 'An addon was provisioned'],
  ['addon_resumed', 'addon', 'Addon resumed', 'A suspended addon was resumed'],
  ['addon_suspended', 'addon', 'Addon suspended', 'An addon was suspended', 'warning'],
  ['addon_updated', 'addon', 'Addon updated', 'An addon was updated'],
  ['alert_added', 'alert', 'Alert added', 'An alert was added to the app'],
  ['alert_deleted', 'alert', 'Alert deleted', 'An alert was removed from the app'],
  ['app_alert_triggered', 'alert', 'Alert triggered', 'An alert on the app fired', 'critical'],
  ['app_command_ran', 'lifecycle', 'Command ran', 'A one-off command ran in the app'],
  ['app_crashed', 'crash', 'App crashed', 'The app crashed', 'critical'],
  ['app_crashed_repeated', 'crash', 'App crashing repeatedly', 'The app crashed several times in a row', 'critical'],
  ['app_deployed', 'deployment', 'App deployed', 'A deployment of the app succeeded'],
  ['app_edited', 'configuration', 'App edited', 'The app settings were changed'],
  ['app_project_updated', 'configuration', 'Project updated', 'The project of the app was changed'],
  ['app_region_migration_started', 'lifecycle', 'Region migration started', 'The app started moving to another region', 'warning'],
  ['app_renamed', 'configuration', 'App renamed', 'The app was renamed'],
  ['app_restarted', 'lifecycle', 'App restarted', 'The app was restarted'],
  ['app_scaled', 'lifecycle', 'App scaled', 'The app containers were scaled'],
  ['app_stopped', 'lifecycle', 'App stopped', 'The app was stopped', 'warning'],
  ['app_transferred', 'access', 'App transferred', 'The app was transferred to another owner', 'warning'],
  ['collaborator_accepted', 'collaboration', 'Collaborator joined', 'A collaborator accepted an invitation'],
  ['collaborator_invited', 'collaboration', 'Collaborator invited', 'A collaborator was invited'],
  ['collaborator_removed', 'collaboration', 'Collaborator removed', 'A collaborator was removed'],
  ['collaborator_role_changed', 'collaboration', 'Collaborator role changed', 'A collaborator got another role'],
  ['database_backup_failed', 'database', 'Backup failed', 'A database backup failed', 'critical'],
  ['database_backup_succeeded', 'database', 'Backup succeeded', 'A database backup succeeded'],
  ['database_maintenance_completed', 'database', 'Maintenance completed', 'A database maintenance is over'],
  ['database_maintenance_planned', 'database', 'Maintenance planned', 'A database maintenance was planned'],
  ['database_maintenance_started', 'database', 'Maintenance started', 'A database maintenance started', 'warning'],
  ['domain_added', 'configuration', 'Domain added', 'A domain was added to the app'],
  ['domain_edited', 'configuration', 'Domain edited', 'A domain of the app was changed'],
  ['domain_removed', 'configuration', 'Domain removed', 'A domain was removed from the app'],
  ['github_link', 'configuration', 'Repository linked', 'A GitHub repository was linked to the app'],
  ['github_unlink', 'configuration', 'Repository unlinked', 'The GitHub repository was unlinked from the app'],
  ['project_created', 'lifecycle', 'Project created', 'A project was created'],
  ['project_deleted', 'lifecycle', 'Project deleted', 'A project was deleted', 'warning'],
  ['project_edited', 'configuration', 'Project edited', 'A project was changed'],
  ['variable_added', 'configuration', 'Variable added', 'An environment variable was added'],
  ['variable_bulk_edited', 'configuration', 'Variables edited', 'Several environment variables were changed'],
  ['variable_edited', 'configuration', 'Variable edited', 'An environment variable was changed'],
  ['variable_removed', 'configuration', 'Variable removed', 'An environment variable was removed'],
  // Cloud 66
  ['stack.provision.ok', 'deployment', 'Stack provisioned', 'A stack was provisioned'],
  ['stack.provision.fail', 'deployment', 'Stack provisioning failed', 'Provisioning a stack failed', 'critical'],
  ['stack.redeploy.ok', 'deployment', 'Stack redeployed', 'A stack was redeployed'],
  ['stack.redeploy.fail', 'deployment', 'Stack redeploy failed', 'Redeploying a stack failed', 'critical'],
  ['stack.redeploy.hook.fail', 'deployment', 'Deploy hook failed', 'A deploy hook failed during a redeploy', 'critical'],
  ['stack.deploy.started', 'deployment', 'Deployment started', 'A stack deployment started'],
  ['server.stopped', 'monitoring', 'Server stopped', 'A server stopped', 'critical'],
  ['server.backon', 'monitoring', 'Server back on', 'A stopped server is back on'],
  ['job.fail', 'monitoring', 'Job failed', 'A background job failed', 'critical'],
  ['job.backon', 'monitoring', 'Job back on', 'A failing background job works again'],
  ['process.down', 'monitoring', 'Process down', 'A process went down', 'critical'],
  ['container.down', 'monitoring', 'Container down', 'A container went down', 'critical'],
  ['app.auth', 'access', 'Access granted', 'Someone was given access to the stack'],
  ['app.deauth', 'access', 'Access revoked', 'Someone lost access to the stack'],
  // Monitron
  ['monitor.down', 'monitoring', 'Monitor down', 'A monitor found the target down', 'critical'],
  ['monitor.recovery', 'monitoring', 'Monitor recovered', 'A monitor found the target up again'],
  ['monitor.degraded', 'monitoring', 'Monitor degraded', 'A monitor found the target slow or partly failing', 'warning'],
  ['ssl.expiring', 'monitoring', 'Certificate expiring', 'A TLS certificate expires soon', 'critical'],
  ['heartbeat.missed', 'monitoring', 'Heartbeat missed', 'An expected heartbeat did not come', 'critical'],
  ['agent.stale', 'monitoring', 'Agent stale', 'A monitoring agent stopped reporting', 'critical'],
  // PM2 Plus
  ['exception', 'crash', 'New exception', 'A new runtime exception or custom error (message and stack in data)', 'critical'],
  ['bad_behavior', 'alert', 'Bad behavior', 'The same problem happens again and again', 'warning'],
  ['process.restart', 'lifecycle', 'Process restarted', 'A process restarted (automatically or by hand)'],
  ['deployment', 'deployment', 'Deployment', 'A new version was deployed'],
  ['server.offline', 'monitoring', 'Server offline', 'A server went silent', 'critical'],
  // Appmonitor
  ['check.added', 'monitoring', 'Check added', 'A check was added'],
  ['check.status_changed', 'monitoring', 'Check status changed', 'A check went to another status', 'warning'],
  ['check.deleted', 'monitoring', 'Check deleted', 'A check was removed'],
  // Inbound sources (shared/core/inbound/): monitoring tools' alerts, CloudWatch alarms, GitHub
  [
    'alert.firing',
    'alert',
    'Alert firing',
    'An alert of a monitoring tool is firing (Alertmanager, Grafana, a CloudWatch alarm)',
    'critical',
  ],
  ['alert.resolved', 'alert', 'Alert resolved', 'An alert of a monitoring tool is resolved'],
  ['notification', 'alert', 'Notification', 'A message published to a topic (Amazon SNS) or posted by a tool'],
  ['deployment.failed', 'deployment', 'Deployment failed', 'A deployment failed', 'critical'],
  ['ci.passed', 'deployment', 'CI passed', 'A workflow run or check suite succeeded'],
  ['ci.failed', 'deployment', 'CI failed', 'A workflow run or check suite failed', 'critical'],
  ['code.pushed', 'deployment', 'Code pushed', 'Commits were pushed to the default branch'],
  ['release.published', 'deployment', 'Release published', 'A release was published'],
];

export const CATALOG: ReadonlyMap<string, EventTypeInfo> = new Map(
  ROWS.map(([type, category, displayName, description, severity = 'info']) => [
    type,
    { type, category, displayName, description, severity, critical: severity === 'critical' },
  ]),
);

export const CRITICAL_TYPES: readonly string[] = [...CATALOG.values()].filter((t) => t.critical).map((t) => t.type);

/**
 * The events Herald itself sends about its own setup (in the `lifecycle` category, beside
 * the app lifecycle types that apps post, such as `app_restarted`). They are not the app's
 * events: `*` does not select them (see selection.ts).
 */
export const HERALD_EVENT_TYPES: ReadonlySet<string> = new Set([
  'app_created',
  'app_deleted',
  'notifier_added',
  'notifier_edited',
  'notifier_removed',
  'notifier_disabled',
  'notifier_test',
  'group',
  'digest',
  'incident.acknowledged',
  'incident.resolved',
]);

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
