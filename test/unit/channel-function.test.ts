import { describe, expect, it } from 'vitest';
import { channelFunction } from '../../shared/channel-function.js';
import { sender as discord } from '../../shared/channels/chat/discord/sender.js';
import type { Config } from '../../shared/config.js';
import { FAMILIES } from '../../shared/core/types.js';

describe('a family function', () => {
  it('refuses to start without every channel of its family, naming the ones left out', () => {
    expect(() => channelFunction('chat', [discord], {} as Config, {})).toThrow(
      `Herald: the chat function must deliver ${FAMILIES.chat.filter((name) => name !== 'discord').join(', ')} too`,
    );
  });
});
