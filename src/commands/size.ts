import { z } from 'zod';
import { arg, MAX_DIGEST_SIZE, parseSize } from './arguments.js';
import { defineCommand } from './define.js';
import { changeSetting } from './setting.js';

export const size = defineCommand({
  id: 'size',
  words: ['size'],
  admin: true,
  visibility: 'public',
  summary: 'Papers per digest',
  usage: `1-${MAX_DIGEST_SIZE}`,
  help: 'papers per digest',
  examples: ['size 8'],
  options: [
    {
      name: 'papers',
      description: `1 to ${MAX_DIGEST_SIZE}`,
      type: 'integer',
      required: true,
      min: 1,
      max: MAX_DIGEST_SIZE,
    },
  ],
  args: z.object({ papers: arg(parseSize) }),
  run: (ctx, { papers }) => changeSetting(ctx, { name: 'size', size: papers }),
});
