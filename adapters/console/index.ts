import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChatAdapter, CommandRef, InboundHandlers, MovableClock } from '../../src/domain/ports.js';
import { shortWhen } from '../../src/domain/present.js';
import type {
  CalendarEvent,
  ChannelRef,
  MessageRef,
  OutboundMessage,
  UserRef,
  Workspace,
} from '../../src/domain/types.js';
import { renderText } from './format.js';

export interface ConsoleAdapterOptions {
  input: Readable;
  output: Writable;
  /** Show a prompt and echo hints; false when reading a script from a pipe. */
  interactive: boolean;
  user?: string;
  channel?: string;
  /** The bot's clock, which `:clock` moves; without it `:clock` only tells the time. */
  clock?: MovableClock;
  /** Runs once the clock has moved, so what became due happens at once (the scheduler's tick). */
  onClockMoved?: () => Promise<void>;
  /**
   * Where the lines typed at a terminal are kept, so ↑ brings back those of earlier sessions too; without
   * it they are remembered until the console closes. Input from a pipe is never kept.
   */
  historyFile?: string;
}

/** How many typed lines ↑ goes back through, and the history file keeps. */
export const HISTORY_LINES = 500;

/**
 * Where the console keeps its typed lines for a database: next to the PGlite folder (`./.data/pglite` →
 * `./.data/console_history`), in `./.data` for a Postgres server, and nowhere for a database in memory,
 * which leaves nothing behind.
 */
export function consoleHistoryFile(
  database: { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgres' },
): string | undefined {
  if (database.kind === 'postgres') return join('.data', 'console_history');
  return database.dataDir ? join(dirname(database.dataDir), 'console_history') : undefined;
}

const WORKSPACE = 'console';

const META_HELP = [
  'Console commands:',
  '  /papers …             a bot command, e.g. /papers help',
  '  :as <user>            act as another user (e.g. :as alice)',
  '  :in <#channel>        move to another channel (e.g. :in #ml)',
  '  :react <id> <emoji>   react to a message by its id (e.g. :react m3 👍)',
  '  :unreact <id> <emoji> take a reaction back',
  '  :vote <id> <number>   vote in a ballot by its id (e.g. :vote m7 2)',
  '  :reply <id> <text>    reply in the thread of a message (notes after a session)',
  "  :clock [ISO time]     show the bot's time, or move it (e.g. :clock 2026-12-10T15:00Z)",
  '  :quit                 leave',
  'Anything else you type is a message in the channel, as in a chat (a pasted paper link shares it):',
  '`clear` is a message too, and takes the next id.',
].join('\n');

function describeEvent(event: CalendarEvent): string {
  const where = event.location ? ` · ${event.location}` : '';
  return `${event.title} — ${shortWhen(event.start, 'UTC')}–${shortWhen(event.end, 'UTC').slice(-5)} UTC${where}`;
}

/** `Thu 10 Dec 2026 15:00 UTC`. */
function describeInstant(at: Date): string {
  const text = at.toLocaleString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });
  return `${text.replace(',', '')} UTC`;
}

/**
 * A terminal door into the bot: one person types commands, can pretend to be others and react to
 * messages by the short ids printed beside them. Reads stdin line by line and ends at end of input.
 */
export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  /** Resolves when the input ends or the user quits. */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private handlers: InboundHandlers | undefined;
  private user: string;
  private channel: string;
  private readonly messages = new Map<string, MessageRef>();
  /** The reactions people put on messages here: message id, person, emoji. */
  private readonly reactions = new Set<string>();
  /** The printed id of each message the console showed, by its message id. */
  private readonly shortIds = new Map<string, string>();
  private nextEventId = 1;
  private nextShortId = 1;
  private commandSeq = 0;
  /** Keeps platform message ids unique across restarts on the same database. */
  private readonly session = Date.now().toString(36);
  private readline: ReturnType<typeof createInterface> | undefined;
  /** Line editing, ↑/↓ history and a redrawn prompt: input and output are a terminal. */
  private readonly terminal: boolean;
  /** The prompt is showing and the user may be typing: what is printed now goes above their line. */
  private awaitingInput = false;
  /** The last line kept in the history file, so a line typed twice in a row is kept once. */
  private lastKept: string | undefined;
  private historyFailed = false;

  constructor(private readonly options: ConsoleAdapterOptions) {
    this.user = options.user ?? 'you';
    this.channel = options.channel ?? 'papers';
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    const isTTY = (stream: object) => (stream as { isTTY?: boolean }).isTTY === true;
    this.terminal = isTTY(options.input) && isTTY(options.output);
  }

  async start(handlers: InboundHandlers): Promise<void> {
    this.handlers = handlers;
    const rl = this.terminal
      ? createInterface({
          input: this.options.input,
          output: this.options.output,
          terminal: true,
          prompt: '',
          history: await this.loadHistory(),
          historySize: HISTORY_LINES,
          crlfDelay: Number.POSITIVE_INFINITY,
        })
      : createInterface({
          input: this.options.input,
          terminal: false,
          crlfDelay: Number.POSITIVE_INFINITY,
        });
    this.readline = rl;
    if (this.options.interactive) {
      this.write(`papers console — you are ${this.user} in #${this.channel}. Type /papers help or :help.`);
      this.prompt();
    }
    void this.readLoop(rl);
  }

  async stop(): Promise<void> {
    this.readline?.close();
    await this.closed;
  }

  async post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    const ref = this.remember({ channel, messageId: this.newMessageId() });
    this.print(`[${ref.short}] #${channel.channelId} bot:`, renderText(message), '');
    return ref.ref;
  }

  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const ref = this.remember({
      channel: thread.channel,
      messageId: this.newMessageId(),
      threadId: thread.messageId,
    });
    this.print(`  ↳ [${ref.short}]`, renderText(message), '      ');
    return ref.ref;
  }

  /** A message is reached by its id here: `[m12]`. */
  async messageLink(message: MessageRef): Promise<string | undefined> {
    const short = this.shortIds.get(message.messageId);
    return short ? `[${short}]` : undefined;
  }

  /** A direct message, printed with whom it is for. */
  async dm(ws: Workspace, userId: string, message: OutboundMessage): Promise<MessageRef> {
    const channel: ChannelRef = {
      platform: 'console',
      workspaceId: ws.workspaceId,
      channelId: `dm-${userId}`,
    };
    const ref = this.remember({ channel, messageId: this.newMessageId() });
    this.print(`[${ref.short}] (direct message to ${userId}) bot:`, renderText(message), '');
    return ref.ref;
  }

  async update(message: MessageRef, content: OutboundMessage): Promise<void> {
    const short = this.shortIds.get(message.messageId) ?? message.messageId;
    this.print(`[${short} updated]`, renderText(content), '      ');
  }

  /** The console has no calendar: the invite is printed in the thread. */
  async scheduleEvent(
    where: { channel: ChannelRef; thread?: MessageRef },
    event: CalendarEvent,
  ): Promise<string> {
    const text = `📅 Calendar invite: ${describeEvent(event)}`;
    if (where.thread) await this.reply(where.thread, { kind: 'text', text });
    else await this.post(where.channel, { kind: 'text', text });
    return `console-event-${this.nextEventId++}`;
  }

  async updateEvent(_channel: ChannelRef, eventId: string, event: CalendarEvent): Promise<void> {
    this.write(`📅 Calendar invite ${eventId} updated: ${describeEvent(event)}`);
  }

  /** Everyone is a member of the console's workspace: a mention names whoever it names. */
  async findMember(_channel: ChannelRef, mention: string): Promise<UserRef | null> {
    const name = /^(?:<@!?([\w.-]{1,40})>|@([\w.-]{1,40}))$/.exec(mention);
    const id = name?.[1] ?? name?.[2];
    return id ? { id, name: id, isAdmin: false } : null;
  }

  private async readLoop(rl: ReturnType<typeof createInterface>): Promise<void> {
    try {
      for await (const line of rl) {
        this.awaitingInput = false;
        if (this.terminal) await this.keepInHistory(line.trim());
        const keepGoing = await this.handleLine(line.trim());
        if (!keepGoing) break;
        if (this.options.interactive) this.prompt();
      }
    } finally {
      // Ctrl+D or Ctrl+C at the prompt: the shell's prompt comes back on a line of its own.
      if (this.awaitingInput) this.options.output.write('\n');
      this.awaitingInput = false;
      rl.close();
      this.resolveClosed();
    }
  }

  /** Handles one typed line; false means the user asked to leave. */
  private async handleLine(line: string): Promise<boolean> {
    if (!line) return true;
    try {
      if (line.startsWith('/papers')) {
        const text = line.slice('/papers'.length).trim();
        await this.dispatchCommand(text);
        return true;
      }
      if (line.startsWith(':')) return await this.handleMeta(line);
      if (line.startsWith('/')) {
        this.write(`Only /papers commands are known here (got "${line.split(/\s/)[0]}"). Try /papers help.`);
        return true;
      }
      if (this.handlers?.message) {
        const ref = this.remember({ channel: this.channelRef(), messageId: this.newMessageId() });
        this.write(`[${ref.short}] ${this.user}: ${line}`);
        await this.handlers.message({ message: ref.ref, user: this.userRef(), text: line });
      } else {
        this.write('Type /papers help for bot commands, :help for console commands.');
      }
    } catch (err) {
      this.write(`error: ${err instanceof Error ? err.message : String(err)}`);
    }
    return true;
  }

  private async dispatchCommand(text: string): Promise<void> {
    if (!this.handlers) throw new Error('console adapter used before start');
    const user = this.userRef();
    const channel = this.channelRef();
    const ref: CommandRef = {
      id: `cmd-${++this.commandSeq}`,
      channel,
      user,
      respond: async (message, opts) => {
        const printed = this.remember({ channel, messageId: this.newMessageId() });
        this.print(`[${printed.short}]${opts.private ? ' (only you)' : ''} bot:`, renderText(message), '');
      },
    };
    await this.handlers.command({ ref, channel, user, input: { kind: 'text', text } });
  }

  private async handleMeta(line: string): Promise<boolean> {
    const [command = '', ...args] = line.split(/\s+/);
    switch (command) {
      case ':q':
      case ':quit':
      case ':exit':
        return false;
      case ':help':
        this.write(META_HELP);
        return true;
      case ':as': {
        const name = args[0]?.replace(/^@/, '');
        if (!name || !/^[\w.-]{1,40}$/.test(name)) {
          this.write('Usage: :as <user>, e.g. :as alice (letters, digits, . _ -)');
          return true;
        }
        this.user = name;
        this.write(`You are now ${name}.`);
        return true;
      }
      case ':in': {
        const name = args[0]?.replace(/^#/, '');
        if (!name || !/^[\w.-]{1,80}$/.test(name)) {
          this.write('Usage: :in #channel, e.g. :in #ml');
          return true;
        }
        this.channel = name;
        this.write(`You are now in #${name}.`);
        return true;
      }
      case ':clock':
        await this.moveClock(args.join(' '));
        return true;
      case ':vote':
        await this.vote(args);
        return true;
      case ':reply':
        await this.replyAs(args);
        return true;
      case ':react':
      case ':unreact':
        await this.react(command === ':react' ? 'added' : 'removed', args);
        return true;
      default:
        this.write(`Unknown console command "${command}".\n${META_HELP}`);
        return true;
    }
  }

  private async react(action: 'added' | 'removed', args: string[]): Promise<void> {
    const [short, emoji] = args;
    if (!short || !emoji) {
      this.write(`Usage: :${action === 'added' ? 'react' : 'unreact'} <id> <emoji>, e.g. :react m3 👍`);
      return;
    }
    const message = this.messages.get(short.replace(/^\[|\]$/g, ''));
    if (!message) {
      this.write(`No message ${short} here: use an id printed in brackets, such as m3.`);
      return;
    }
    // As a chat client does: a reaction is there once per person and emoji, and only one that is there
    // can be taken back.
    const key = `${message.messageId}|${this.user}|${emoji}`;
    if (action === 'removed' && !this.reactions.has(key)) {
      const who = this.user === 'you' ? 'You have' : `${this.user} has`;
      this.write(`${who} no ${emoji} reaction on ${short}: nothing to take back.`);
      return;
    }
    if (action === 'added' && this.reactions.has(key)) {
      this.write(`${this.user} already reacted ${emoji} to ${short}.`);
      return;
    }
    await this.handlers?.reaction({ action, message, user: this.userRef(), emoji });
    if (action === 'added') this.reactions.add(key);
    else this.reactions.delete(key);
    this.write(
      `${this.user} ${action === 'added' ? 'reacted' : 'removed'} ${emoji} ${action === 'added' ? 'to' : 'from'} ${short}.`,
    );
  }

  private async moveClock(value: string): Promise<void> {
    const clock = this.options.clock;
    if (!value) {
      this.write(`It is ${describeInstant((clock ?? { now: () => new Date() }).now())}.`);
      return;
    }
    // A time without a zone is read as UTC, whatever this machine's zone.
    const at = new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(value) || !value.includes('T') ? value : `${value}Z`);
    if (Number.isNaN(at.getTime())) {
      this.write(
        `"${value}" is not a time: use ISO 8601, e.g. :clock 2026-12-10T15:00Z (UTC) or 2026-12-10T15:00+01:00.`,
      );
      return;
    }
    if (!clock) {
      this.write('This bot runs on real time: its clock cannot be moved.');
      return;
    }
    clock.set(at);
    this.write(`The bot's clock is now ${describeInstant(at)}.`);
    await this.options.onClockMoved?.();
  }

  private async vote(args: string[]): Promise<void> {
    const [short, choice] = args;
    const number = Number(choice);
    if (!short || !choice || !Number.isInteger(number) || args.length > 2) {
      this.write("Usage: :vote <id> <number>, e.g. :vote m7 2 (the ballot's id, the paper's number on it)");
      return;
    }
    const message = this.findMessage(short);
    if (!message) return;
    const answer = await this.handlers?.ballotVote?.({
      action: 'added',
      message,
      user: this.userRef(),
      choice: number,
    });
    if (answer) this.write(answer.replace(/<@!?([^>|]+)(\|[^>]*)?>/g, '@$1'));
  }

  private async replyAs(args: string[]): Promise<void> {
    const [short, ...words] = args;
    if (!short || words.length === 0) {
      this.write('Usage: :reply <id> <text>, e.g. :reply m9 slides: https://example.org/slides.pdf');
      return;
    }
    const parent = this.findMessage(short);
    if (!parent) return;
    const threadId = parent.threadId ?? parent.messageId;
    const ref = this.remember({ channel: parent.channel, messageId: this.newMessageId(), threadId });
    const text = words.join(' ');
    this.write(`  ↳ [${ref.short}] @${this.user}: ${text}`);
    await this.handlers?.message?.({ message: ref.ref, user: this.userRef(), text });
  }

  /** A message by its printed id; says so when there is none. */
  private findMessage(short: string): MessageRef | undefined {
    const message = this.messages.get(short.replace(/^\[|\]$/g, ''));
    if (!message) this.write(`No message ${short} here: use an id printed in brackets, such as m3.`);
    return message;
  }

  private remember(ref: MessageRef): { short: string; ref: MessageRef } {
    const short = `m${this.nextShortId++}`;
    this.messages.set(short, ref);
    this.shortIds.set(ref.messageId, short);
    return { short, ref };
  }

  private newMessageId(): string {
    return `${this.session}.${this.nextShortId}`;
  }

  private channelRef(): ChannelRef {
    return { platform: 'console', workspaceId: WORKSPACE, channelId: this.channel, name: `#${this.channel}` };
  }

  private userRef(): UserRef {
    return { id: this.user, name: this.user, isAdmin: true };
  }

  private print(prefix: string, body: string, indent: string): void {
    const [first = '', ...rest] = body.split('\n');
    const pad = indent || ' '.repeat(Math.min(prefix.length + 1, 8));
    this.write([`${prefix} ${first}`, ...rest.map((l) => `${pad}${l}`)].join('\n'));
  }

  private write(text: string): void {
    const { output } = this.options;
    if (this.terminal && this.awaitingInput && this.readline) {
      // Printed while the user types (a scheduled post): above their line, which is then drawn again as it was.
      clearLine(output, 0);
      cursorTo(output, 0);
      output.write(`${text}\n`);
      this.readline.prompt(true);
      return;
    }
    output.write(`${text}\n`);
  }

  private prompt(): void {
    const prompt = `${this.user}@#${this.channel}> `;
    if (this.terminal && this.readline) {
      this.readline.setPrompt(prompt);
      this.readline.prompt();
      this.awaitingInput = true;
    } else {
      this.options.output.write(prompt);
    }
  }

  /** The lines of earlier sessions, newest first, as ↑ goes through them. */
  private async loadHistory(): Promise<string[]> {
    const file = this.options.historyFile;
    if (!file) return [];
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return [];
    }
    const lines = text.split('\n').filter((line) => line.trim());
    const kept = lines.slice(-HISTORY_LINES);
    this.lastKept = kept.at(-1);
    // The file grows a line at a time: past twice what is kept, it is cut back to what ↑ can reach.
    if (lines.length > 2 * HISTORY_LINES) {
      await writeFile(file, `${kept.join('\n')}\n`, { mode: 0o600 }).catch(() => {});
    }
    return kept.reverse();
  }

  /** Adds a typed line to the history file; says once when it cannot. */
  private async keepInHistory(line: string): Promise<void> {
    const file = this.options.historyFile;
    if (!file || !line || line === this.lastKept || this.historyFailed) return;
    this.lastKept = line;
    try {
      await mkdir(dirname(file), { recursive: true });
      await appendFile(file, `${line}\n`, { mode: 0o600 });
    } catch (err) {
      this.historyFailed = true;
      this.write(
        `(Typed lines are not kept for next time: ${err instanceof Error ? err.message : String(err)})`,
      );
    }
  }
}
