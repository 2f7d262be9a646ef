import { z } from 'zod';
import { arg, onOff } from './arguments.js';
import { defineCommand } from './define.js';
import { changeSetting, STATE_OPTION } from './setting.js';

export const emptyNote = defineCommand({
  id: 'empty-note',
  words: ['digest', 'empty-note'],
  aliases: [['empty-note']],
  admin: true,
  visibility: 'public',
  summary: 'One quiet line on days with nothing new to post',
  usage: 'on|off',
  help: 'one quiet line on days with nothing new',
  examples: ['digest empty-note on'],
  options: [STATE_OPTION],
  args: z.object({ state: arg(onOff('/papers digest empty-note on')) }),
  run: (ctx, { state }) => changeSetting(ctx, { name: 'empty-note', enabled: state }),
});
