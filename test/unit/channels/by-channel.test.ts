import { describe, expect, it } from 'vitest';
import { ADDRESSING } from '../../../shared/channels/addressing.js';
import { channelParts } from '../../../shared/channels/by-channel.js';
import { CHANNEL_NAMES } from '../../../shared/core/types.js';

/** The registries are built from FAMILIES' names: what a contributor sees when a channel's folder is missing or wrong. */
describe("a channel's parts, loaded by its name", () => {
  it('gives every channel FAMILIES names its addressing, under that name', () => {
    expect(Object.keys(ADDRESSING).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const name of CHANNEL_NAMES) expect(ADDRESSING[name].name).toBe(name);
  });

  it('names the file a channel lacks', async () => {
    const missing = async () => {
      throw new Error('Cannot find module');
    };
    await expect(channelParts(['mattermost'], 'sender', missing)).rejects.toThrow(
      'Herald: the mattermost channel (FAMILIES.chat) cannot load shared/channels/chat/mattermost/sender.ts: Cannot find module',
    );
  });

  it('refuses a module without the export of its part', async () => {
    await expect(channelParts(['ntfy'], 'target', async () => ({ ntfyTarget: {} }))).rejects.toThrow(
      'Herald: shared/channels/push/ntfy/target.ts must export `target`',
    );
  });

  it("refuses a folder copied from another channel that still bears the other's name", async () => {
    await expect(channelParts(['rocketchat'], 'addressing', async () => ({ addressing: { name: 'mattermost' } }))).rejects.toThrow(
      'Herald: shared/channels/chat/rocketchat/addressing.ts names its channel "mattermost", not "rocketchat"',
    );
  });
});
