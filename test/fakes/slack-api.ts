import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Web API call as the fake received it. */
export interface ApiCall {
  seq: number;
  method: string;
  args: Record<string, unknown>;
  authorization: string | undefined;
  at: number;
  /** What the fake answered (HTTP status and body). */
  status?: number;
  answer?: Record<string, unknown>;
}

/** A POST to a command's response_url. */
export interface ResponseUrlCall {
  seq: number;
  /** The response_url's id, as handed out by responseUrl(). */
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/** How the fake answers the next call of a method, instead of its usual reply. */
export type Failure =
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'error'; error: string }
  | { kind: 'http'; status: number };

/** A message as the fake stores it, in the shape conversations.history and conversations.replies return. */
export interface StoredSlackMessage {
  channel: string;
  ts: string;
  text: string;
  user: string;
  bot_id: string;
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  files?: { id: string; name: string; title: string }[];
}

export const FAKE_TEAM = 'T0PAPERS';
export const FAKE_BOT_USER = 'U0BOT';
export const FAKE_BOT_ID = 'B0BOT';

/**
 * A fake Slack Web API on 127.0.0.1: answers what the adapter calls the way Slack does, records every call
 * and response_url post, and fails on demand (429 with Retry-After, platform errors, 5xx).
 */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlCall[] = [];
  /** Every message posted, oldest first, as Slack keeps it (also after the bot that posted it is gone). */
  readonly messages: StoredSlackMessage[] = [];
  /** Users whom users.info reports as workspace admins. */
  readonly admins = new Set<string>();
  /** Channels the bot is not a member of: posting there fails with not_in_channel. */
  readonly channelsWithoutBot = new Set<string>();
  /** User ids users.info does not know (user_not_found); every other id is a member. */
  readonly strangers = new Set<string>();
  /** File contents uploaded through files.uploadV2's upload URLs, by file id. */
  readonly uploads = new Map<string, { filename: string; bytes: Buffer }>();
  /** Where apps.connections.open sends Socket Mode clients. */
  socketUrl = '';
  /** Per method, what each coming call does: a failure, or undefined for the usual answer. */
  private readonly failures = new Map<string, (Failure | undefined)[]>();
  private readonly usedTriggers = new Set<string>();
  private seq = 0;
  /** The last message ts given, in microseconds. */
  private ts = 0;
  private nextResponseUrl = 0;

  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  static async start(): Promise<FakeSlackApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeSlackApi(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  /** The Web API base URL, as SLACK_API_URL takes it. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** A fresh response_url for one command or button press. */
  responseUrl(): string {
    return `${this.base}/respond/${++this.nextResponseUrl}`;
  }

  /** Makes the next calls of `method` fail, one failure per call, in order. */
  fail(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  /** Makes the `nth` coming call of `method` (1 = the next one) fail; the calls before it succeed. */
  failCall(method: string, nth: number, failure: Failure): void {
    const queue = this.failures.get(method) ?? [];
    while (queue.length < nth - 1) queue.push(undefined);
    queue[nth - 1] = failure;
    this.failures.set(method, queue);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const upload = /^\/upload\/(F\w+)$/.exec(url.pathname);
    if (upload) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const file = this.uploads.get(upload[1]!);
      if (file) file.bytes = uploadedBytes(Buffer.concat(chunks), req.headers['content-type']);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${file?.bytes.length ?? 0}`);
      return;
    }
    const raw = await readBody(req);
    const respondMatch = /^\/respond\/(\d+)$/.exec(url.pathname);
    if (respondMatch) {
      this.responses.push({ seq: ++this.seq, id: respondMatch[1]!, body: JSON.parse(raw), at: Date.now() });
      return send(res, 200, { ok: true });
    }
    const method = /^\/api\/(.+)$/.exec(url.pathname)?.[1];
    if (!method) return send(res, 404, { ok: false, error: 'unknown_url' });
    const args = parseArgs(raw, req.headers['content-type']);
    const call: ApiCall = {
      seq: ++this.seq,
      method,
      args,
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    this.calls.push(call);
    const failure = this.failures.get(method)?.shift();
    const [status, answer] = this.outcome(method, args, failure);
    call.status = status;
    call.answer = answer;
    if (failure?.kind === 'rate-limited') res.setHeader('Retry-After', String(failure.retryAfterSeconds));
    send(res, status, answer);
  }

  private outcome(
    method: string,
    args: Record<string, unknown>,
    failure: Failure | undefined,
  ): [number, Record<string, unknown>] {
    if (failure?.kind === 'rate-limited') return [429, { ok: false, error: 'ratelimited' }];
    if (failure?.kind === 'http') return [failure.status, { ok: false, error: 'internal_error' }];
    if (failure?.kind === 'error') return [200, { ok: false, error: failure.error }];
    return [200, this.answer(method, args)];
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: FAKE_BOT_USER, bot_id: FAKE_BOT_ID, team_id: FAKE_TEAM, user: 'papers' };
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'users.info': {
        const id = String(args.user ?? '');
        if (this.strangers.has(id)) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id,
            name: id.toLowerCase(),
            is_admin: this.admins.has(id),
            is_owner: false,
            deleted: false,
          },
        };
      }
      case 'files.getUploadURLExternal': {
        const id = `F${this.nextTs().replace('.', '')}`;
        this.uploads.set(id, { filename: String(args.filename ?? ''), bytes: Buffer.alloc(0) });
        return { ok: true, file_id: id, upload_url: `${this.base}/upload/${id}` };
      }
      case 'files.completeUploadExternal': {
        const files = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as {
          id: string;
          title?: string;
        }[];
        const stored = files.map((f) => ({
          id: f.id,
          name: this.uploads.get(f.id)?.filename ?? '',
          title: f.title ?? '',
        }));
        const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        this.messages.push({
          channel: String(args.channel_id ?? ''),
          ts: this.nextTs(),
          text: String(args.initial_comment ?? ''),
          user: FAKE_BOT_USER,
          bot_id: FAKE_BOT_ID,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          files: stored,
        });
        return { ok: true, files: stored };
      }
      case 'chat.postMessage': {
        if (this.channelsWithoutBot.has(channel)) return { ok: false, error: 'not_in_channel' };
        if (/^[UW]/.test(channel)) {
          // To a person: the app's direct message with them.
          if (this.strangers.has(channel)) return { ok: false, error: 'user_not_found' };
          return this.answer(method, { ...args, channel: `D${channel.slice(1)}` });
        }
        const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        const metadata = readMetadata(args.metadata);
        if (metadata === null) return { ok: false, error: 'invalid_metadata_format' };
        const stored: StoredSlackMessage = {
          channel,
          ts: this.nextTs(),
          text: String(args.text ?? ''),
          user: FAKE_BOT_USER,
          bot_id: FAKE_BOT_ID,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(metadata ? { metadata } : {}),
        };
        this.messages.push(stored);
        return { ok: true, channel, ts: stored.ts, message: this.view(stored, true) };
      }
      case 'conversations.open': {
        // The app's direct message with one person.
        const user = String(args.users ?? '');
        if (!/^[UW]/.test(user) || this.strangers.has(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: `D${user.slice(1)}` } };
      }
      case 'conversations.history':
        return this.history(args);
      case 'conversations.replies':
        return this.replies(args);
      case 'chat.postEphemeral':
        if (this.channelsWithoutBot.has(channel)) return { ok: false, error: 'channel_not_found' };
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.update':
        return { ok: true, channel, ts: args.ts };
      case 'chat.getPermalink': {
        const found = this.messages.find((m) => m.channel === channel && m.ts === String(args.message_ts));
        if (!found) return { ok: false, error: 'message_not_found' };
        return {
          ok: true,
          channel,
          permalink: `https://papers-lab.slack.com/archives/${channel}/p${found.ts.replace('.', '')}`,
        };
      }
      case 'views.publish':
        if (!args.user_id) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: { id: `V${++this.seq}`, ...parseJson(args.view) } };
      case 'views.open':
        // A trigger id is good once, for 3 seconds.
        if (!args.trigger_id || this.usedTriggers.has(String(args.trigger_id))) {
          return { ok: false, error: 'invalid_trigger_id' };
        }
        this.usedTriggers.add(String(args.trigger_id));
        return { ok: true, view: { id: `V${++this.seq}`, ...parseJson(args.view) } };
      case 'chat.unfurl': {
        const unfurls = parseJson(args.unfurls);
        if (!unfurls || Object.keys(unfurls).length === 0) return { ok: false, error: 'invalid_unfurls' };
        if (!(args.channel && args.ts) && !(args.unfurl_id && args.source)) {
          return { ok: false, error: 'invalid_arguments' };
        }
        return { ok: true };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * Top-level messages, newest first (thread replies stay in their thread), a page at a time with a
   * cursor; metadata only with include_all_metadata, as Slack does.
   */
  private history(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    if (this.channelsWithoutBot.has(channel)) return { ok: false, error: 'not_in_channel' };
    const top = this.messages.filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts));
    return this.page(top.reverse(), args, []);
  }

  /** A thread: its parent first, then the replies oldest first, paged like history. */
  private replies(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    if (this.channelsWithoutBot.has(channel)) return { ok: false, error: 'not_in_channel' };
    const parent = this.messages.find((m) => m.channel === channel && m.ts === String(args.ts ?? ''));
    if (!parent) return { ok: false, error: 'thread_not_found' };
    const replies = this.messages.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
    return this.page(replies, args, [parent]);
  }

  private page(
    all: StoredSlackMessage[],
    args: Record<string, unknown>,
    head: StoredSlackMessage[],
  ): Record<string, unknown> {
    let messages = all;
    // Slack's limit for apps outside its Marketplace: 15 messages a page.
    const limit = Math.min(15, Math.max(1, Number(args.limit ?? 15) || 15));
    // Only messages after `oldest` (a ts), as Slack filters them.
    if (typeof args.oldest === 'string' && args.oldest) {
      const oldest = Number(args.oldest);
      messages = messages.filter((m) => Number(m.ts) > oldest);
    }
    const cursor = typeof args.cursor === 'string' && args.cursor ? args.cursor : undefined;
    const start = cursor
      ? Number(
          Buffer.from(cursor, 'base64')
            .toString('utf8')
            .replace(/^next_ts:/, ''),
        )
      : 0;
    if (!Number.isInteger(start) || start < 0) return { ok: false, error: 'invalid_cursor' };
    const slice = messages.slice(start, start + limit);
    const more = start + limit < messages.length;
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
    return {
      ok: true,
      messages: [...head, ...slice].map((m) => this.view(m, withMetadata)),
      has_more: more,
      response_metadata: {
        next_cursor: more ? Buffer.from(`next_ts:${start + limit}`).toString('base64') : '',
      },
    };
  }

  private view(m: StoredSlackMessage, withMetadata: boolean): Record<string, unknown> {
    const replies = this.messages.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
    return {
      type: 'message',
      ts: m.ts,
      text: m.text,
      user: m.user,
      bot_id: m.bot_id,
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : replies.length > 0 ? { thread_ts: m.ts } : {}),
      ...(replies.length > 0 ? { reply_count: replies.length } : {}),
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
      ...(m.files ? { files: m.files } : {}),
    };
  }

  /** A message ts as Slack makes them: the time it was posted, in microseconds, never twice the same. */
  private nextTs(): string {
    this.ts = Math.max(this.ts + 1, Date.now() * 1000);
    return (this.ts / 1_000_000).toFixed(6);
  }
}

/** The file in an upload: the body itself, or its first part when sent as multipart form data. */
function uploadedBytes(body: Buffer, contentType: string | undefined): Buffer {
  const boundary = /boundary=(.+)$/.exec(contentType ?? '')?.[1];
  if (!boundary) return body;
  const start = body.indexOf('\r\n\r\n') + 4;
  const end = body.indexOf(`\r\n--${boundary}`, start);
  return body.subarray(start, end < 0 ? undefined : end);
}

/** chat.postMessage's metadata: undefined when absent, null when malformed. */
function readMetadata(raw: unknown): StoredSlackMessage['metadata'] | null | undefined {
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' ? safeJson(raw) : raw;
  if (!value || typeof value !== 'object') return null;
  const { event_type, event_payload } = value as Record<string, unknown>;
  if (typeof event_type !== 'string' || !event_payload || typeof event_payload !== 'object') return null;
  return { event_type, event_payload: event_payload as Record<string, unknown> };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = key === 'blocks' || key === 'attachments' ? JSON.parse(value) : value;
  }
  return args;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A JSON argument as the Web API client sends it (a string in form posts, an object in JSON ones). */
function parseJson(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}
