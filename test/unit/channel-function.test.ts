import { describe, expect, it } from 'vitest';
import { channelFunction } from '../../shared/channel-function.js';
import { sender as discord } from '../../shared/channels/chat/discord/sender.js';
import type { Config } from '../../shared/config.js';

describe('a family function', () => {
  it('refuses to start without every channel of its family, naming the ones left out', () => {
    expect(() => channelFunction('chat', [discord], {} as Config, {})).toThrow(
      'Herald: the chat function must deliver teams, google_chat, mattermost, rocketchat, telegram too',
    );
  });
});
