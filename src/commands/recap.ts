import { z } from 'zod';
import { arg, onOff } from './arguments.js';
import { defineCommand } from './define.js';
import { changeSetting, STATE_OPTION } from './setting.js';

export const recap = defineCommand({
  id: 'recap',
  words: ['recap'],
  admin: true,
  visibility: 'public',
  summary: "Monday's recap of last week's most-voted papers",
  usage: 'on|off',
  help: 'the Monday recap of last week',
  examples: ['recap off'],
  options: [STATE_OPTION],
  args: z.object({ state: arg(onOff('/papers recap on')) }),
  run: (ctx, { state }) => changeSetting(ctx, { name: 'recap-enabled', enabled: state }),
});
