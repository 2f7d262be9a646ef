import { z } from 'zod';
import { arg, onOff } from './arguments.js';
import { defineCommand } from './define.js';
import { changeSetting, STATE_OPTION } from './setting.js';

export const digestEnabled = defineCommand({
  id: 'digest-enabled',
  words: ['digest'],
  admin: true,
  visibility: 'public',
  summary: 'Turn the daily digest on or off',
  usage: 'on|off',
  help: 'the daily digest in this channel',
  examples: ['digest off'],
  options: [STATE_OPTION],
  args: z.object({ state: arg(onOff('/papers digest on')) }),
  run: (ctx, { state }) => changeSetting(ctx, { name: 'digest-enabled', enabled: state }),
});
