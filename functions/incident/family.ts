import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import type { FamilySend } from '../../shared/channel-function.js';
import type { FamilyChannels } from '../../shared/channels/channel.js';
import { opsgenie } from '../../shared/channels/opsgenie.js';
import { pagerduty } from '../../shared/channels/pagerduty.js';
import type { Config } from '../../shared/config.js';

/** The incident function's channels, by name: PagerDuty and Opsgenie, in order per incident. */
export const channels: FamilyChannels<'incident'> = { pagerduty, opsgenie };

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (config: Config): Promise<FamilySend> => ({ providers: await loadProviderSettings(config) });
