import { PassThrough } from 'node:stream';
import { ConsoleAdapter } from '../../adapters/console/index.js';
import type { Db } from '../../db/client.js';
import { createHandlers } from '../../src/commands/handlers.js';
import { scheduledCore } from '../helpers/core.js';
import type { AdapterHarness, SentMessage } from './contract.js';

const PROMPT = /\S+@#\S+> $/;

/** The console adapter driven through its streams, read back from what it prints. */
export async function consoleHarness(db: Db): Promise<AdapterHarness> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  let waiter: (() => void) | undefined;
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
    if (PROMPT.test(printed)) waiter?.();
  });
  const adapter = new ConsoleAdapter({ input, output, interactive: true });
  const core = scheduledCore(db);
  await adapter.start(createHandlers(core.deps, adapter));
  let transcript = '';
  let user = 'you';

  const type = async (line: string) => {
    printed = '';
    const done = new Promise<void>((resolve) => {
      waiter = resolve;
    });
    input.write(`${line}\n`);
    await done;
    transcript += printed.replace(PROMPT, '');
  };
  const as = async (name: string) => {
    if (name !== user) await type(`:as ${name}`);
    user = name;
  };

  return {
    workspace: { platform: 'console', workspaceId: 'console' },
    async command(text, who) {
      await as(who);
      await type(`/papers ${text}`);
    },
    async react(messageId, emoji, who, action = 'added') {
      await as(who);
      await type(`:${action === 'added' ? 'react' : 'unreact'} ${messageId} ${emoji}`);
    },
    person: (who) => ({ typed: `@${who}`, shown: `@${who}` }),
    async ballotVote(messageId, choice, who) {
      await as(who);
      await type(`:vote ${messageId} ${choice}`);
    },
    async replyInThread(messageId, text, who) {
      await as(who);
      await type(`:reply ${messageId} ${text}`);
    },
    async tickAt(at) {
      printed = '';
      await core.tickAt(adapter, at);
      transcript += printed.replace(PROMPT, '');
    },
    sent: () => parseTranscript(transcript),
    async close() {
      input.end();
      await adapter.stop();
    },
  };
}

/** Reads the bot's messages back out of the console transcript. */
function parseTranscript(text: string): SentMessage[] {
  const messages: SentMessage[] = [];
  let lastTopLevel: string | undefined;
  for (const line of text.split('\n')) {
    const top = /^\[(m\d+)\]( \(only you\))?( #\S+)? bot: (.*)$/.exec(line);
    const reply = /^ {2}↳ \[(m\d+)\] (.*)$/.exec(line);
    const updated = /^\[(m\d+) updated\] (.*)$/.exec(line);
    const direct = /^\[(m\d+)\] \(direct message to \S+\) bot: (.*)$/.exec(line);
    if (direct) {
      messages.push({ kind: 'dm', messageId: direct[1], private: true, text: direct[2] ?? '' });
    } else if (updated) {
      messages.push({ kind: 'update', messageId: updated[1], private: false, text: updated[2] ?? '' });
    } else if (top) {
      const [, id, priv, channel, body = ''] = top;
      const kind = channel ? 'post' : 'response';
      if (kind === 'post') lastTopLevel = id;
      messages.push({ kind, messageId: id, private: Boolean(priv), text: body });
    } else if (reply && !/^@[\w.-]+: /.test(reply[2] ?? '')) {
      messages.push({
        kind: 'reply',
        messageId: reply[1],
        threadId: lastTopLevel,
        private: false,
        text: reply[2] ?? '',
      });
    } else if (/^\s{4,}/.test(line) && messages.length > 0) {
      const last = messages[messages.length - 1]!;
      last.text += `\n${line.trim()}`;
    }
  }
  return messages;
}
