import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import { channelFunction } from '../../shared/channel-function.js';
import { opsgenie } from '../../shared/channels/opsgenie.js';
import { pagerduty } from '../../shared/channels/pagerduty.js';
import { readConfig } from '../../shared/config.js';

/** The incident function: the incident queue → PagerDuty and Opsgenie, in order per incident. */
const config = readConfig();

export const handler = channelFunction('incident', [pagerduty, opsgenie], config, {
  providers: await loadProviderSettings(config),
});
