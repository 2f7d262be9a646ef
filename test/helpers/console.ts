import { PassThrough } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { startBot } from '../../src/main.js';

/**
 * Runs the bot with the console adapter over in-memory streams: feeds the lines as typed input, waits for
 * the end of input, stops the bot and returns everything it printed.
 */
export async function runConsoleScript(lines: string[], env: Record<string, string>): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString()));
  const bot = await startBot({
    config: loadConfig({ LOG_LEVEL: 'silent', SCHEDULER: 'false', PORT: '0', ...env }),
    input,
    output,
    interactive: false,
  });
  input.end(`${lines.join('\n')}\n`);
  await bot.closed;
  await bot.stop();
  return chunks.join('');
}
