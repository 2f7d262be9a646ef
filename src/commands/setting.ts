import { ensureChannel } from '../../db/repositories/channels.js';
import { applySetting, type SettingChange } from '../channels/settings.js';
import { type Answer, type CommandContext, publicly } from './define.js';

/** Applies a change to the channel the command came from, and says to everyone what changed. */
export async function changeSetting(
  { deps, invocation }: CommandContext,
  change: SettingChange,
): Promise<Answer> {
  const channel = await ensureChannel(deps.db, invocation.channel);
  return publicly(await applySetting(deps.db, channel, change));
}

/** The option of an on/off setting. */
export const STATE_OPTION = {
  name: 'state',
  description: 'on or off',
  type: 'string',
  required: true,
  choices: ['on', 'off'],
} as const;
