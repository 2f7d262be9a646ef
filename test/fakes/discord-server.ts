import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** A JSON payload as Discord sends or receives it: free-form, read field by field in tests. */
// biome-ignore lint/suspicious/noExplicitAny: Discord payloads are free-form JSON
export type Json = any;

/** One REST call the fake received, with what it answered. */
export interface RecordedRequest {
  method: string;
  /** Decoded path after `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: URLSearchParams;
  body: Json;
  status: number;
  response: Json;
  /** performance.now() when it arrived. */
  at: number;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Channel types from the Discord API. */
export const CHANNEL = { text: 0, dm: 1, forum: 15, publicThread: 11 } as const;

/** The permissions the fake checks itself (the bot's role must have them), as Discord numbers them. */
export const PERMISSION = { manageChannels: 1n << 4n, manageThreads: 1n << 34n } as const;

/** Discord's limits on forum tags and on a thread's name. */
const FORUM = { tagsPerForum: 20, tagsPerPost: 5, tagName: 20, threadName: 100 } as const;

/** All permissions but Administrator: what the bot's role has unless a test takes some away. */
const BOT_PERMISSIONS = (2n ** 50n - 1n) & ~8n;
/** What every member may do: view, send, add reactions, read history. */
const EVERYONE_PERMISSIONS = (1n << 10n) | (1n << 11n) | (1n << 6n) | (1n << 16n);

function role(id: string, name: string, permissions: bigint, position: number) {
  return {
    id,
    name,
    permissions: permissions.toString(),
    position,
    color: 0,
    hoist: false,
    managed: position > 0,
    mentionable: false,
    flags: 0,
  };
}

/**
 * A small Discord on 127.0.0.1: the REST routes the bot uses and a gateway that speaks the real JSON
 * protocol (HELLO, IDENTIFY/READY, GUILD_CREATE, heartbeats, RESUME, dispatches). It keeps channels and
 * threads so the bot can find them again, records every call, and can be told to fail the next matching
 * call (a 429, an expired interaction, missing permissions).
 */
export class FakeDiscord {
  readonly applicationId = '1100000000000000001';
  readonly guildId = '1100000000000000002';
  readonly textChannelId = '1100000000000000003';
  readonly forumChannelId = '1100000000000000004';
  readonly botRoleId = '1100000000000000006';
  readonly bot = {
    id: '1100000000000000005',
    username: 'papers',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
  };
  readonly requests: RecordedRequest[] = [];
  /** Frames the client sent on the gateway, across connections. */
  readonly gatewayFrames: { op: number; d: Json }[] = [];
  readonly channels = new Map<string, Json>();
  /** Threads left out of GUILD_CREATE, as Discord leaves out archived ones. */
  readonly hiddenThreads = new Set<string>();
  /** The server's members besides the bot, by user id (GET /guilds/:id/members/:id). */
  readonly members = new Map<string, Json>();
  /** Users who accept no direct messages from the bot (50007 on a send). */
  readonly closedDms = new Set<string>();
  /** Guild Scheduled Events, by id. */
  readonly events = new Map<string, Json>();
  /** Polls the bot ended, by message id. */
  readonly expiredPolls = new Set<string>();
  /** Who chose each answer of each poll: message id → answer id → user ids. */
  readonly pollVoters = new Map<string, Map<number, Set<string>>>();
  private readonly server: Server = createServer((req, res) => void this.onRequest(req, res));
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private seq = 0;
  private sessionId = 'session-1';
  private nextId = 1_200_000_000_000_000_000n;
  private readonly failures: {
    match: (r: { method: string; path: string; body: Json }) => boolean;
    response: FakeResponse;
    afterHandling: boolean;
  }[] = [];
  /** Every message created in a channel or thread, whether or not its answer reached the client. */
  readonly created: Json[] = [];
  /** Messages created with `enforce_nonce`, by channel and nonce: Discord returns them again for the same nonce. */
  private readonly byNonce = new Map<string, Json>();
  private readonly requestWaiters = new Set<() => void>();
  private readonly connectionWaiters = new Set<() => void>();
  botPermissions = BOT_PERMISSIONS;

  constructor() {
    this.addChannel({ id: this.textChannelId, type: CHANNEL.text, name: 'papers' });
    this.addChannel({ id: this.forumChannelId, type: CHANNEL.forum, name: 'paper-club', available_tags: [] });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/gateway')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** What DISCORD_API_URL should be. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  snowflake(): string {
    return (this.nextId++).toString();
  }

  addChannel(channel: Json): Json {
    const full: Json = {
      guild_id: this.guildId,
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      ...channel,
    };
    this.channels.set(full.id, full);
    return full;
  }

  /** The next call that matches gets this answer instead of the usual one. */
  failNext(
    match: (r: { method: string; path: string; body: Json }) => boolean,
    response: FakeResponse,
    options: { afterHandling?: boolean } = {},
  ): void {
    this.failures.push({ match, response, afterHandling: options.afterHandling ?? false });
  }

  /** An admin adds a tag to a forum (`available_tags`); returns it with its new id. */
  addForumTag(forumId: string, name: string, options: { moderated?: boolean } = {}): Json {
    const forum = this.channels.get(forumId);
    const tag = {
      id: this.snowflake(),
      name,
      moderated: options.moderated ?? false,
      emoji_id: null,
      emoji_name: null,
    };
    forum.available_tags = [...(forum.available_tags ?? []), tag];
    // An admin's change reaches the bot as Discord tells it: CHANNEL_UPDATE.
    if (this.socket?.readyState === WebSocket.OPEN) this.dispatch('CHANNEL_UPDATE', forum);
    return tag;
  }

  /** Sends a gateway dispatch (op 0) to the connected client. */
  dispatch(t: string, d: unknown): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN)
      throw new Error(`no gateway client for ${t}`);
    this.socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  /** A member of the server, as GET /guilds/:id/members/:user returns them. */
  addMember(id: string, username: string): Json {
    const member = {
      user: { id, username, discriminator: '0', global_name: null, avatar: null },
      nick: null,
      roles: [],
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    };
    this.members.set(id, member);
    return member;
  }

  /** A person posts a message (MESSAGE_CREATE) in a channel or thread; its id. */
  userMessage(message: {
    channelId: string;
    author: { id: string; username: string; bot?: boolean };
    content: string;
    mentions?: Json[];
  }): string {
    const payload = this.personMessage(message);
    this.dispatch('MESSAGE_CREATE', payload);
    return payload.id;
  }

  /**
   * A person's message as Discord sends it (in MESSAGE_CREATE, or resolved in an interaction on it),
   * without telling the bot that it was posted.
   */
  personMessage(message: {
    channelId: string;
    author: { id: string; username: string; bot?: boolean };
    content: string;
    mentions?: Json[];
  }): Json {
    return {
      id: this.snowflake(),
      channel_id: message.channelId,
      guild_id: this.guildId,
      author: { discriminator: '0', global_name: null, avatar: null, ...message.author },
      member: { roles: [], joined_at: new Date().toISOString() },
      content: message.content,
      mentions: message.mentions ?? [],
      mention_roles: [],
      mention_everyone: false,
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      type: 0,
    };
  }

  /**
   * A person votes for (or takes back a vote for) an answer of a poll, numbered from 1; the gateway tells
   * the bot unless `dispatch` is false (it was away).
   */
  pollVote(
    messageId: string,
    channelId: string,
    userId: string,
    answerId: number,
    action: 'add' | 'remove' = 'add',
    dispatch = true,
  ): void {
    const answers = this.pollVoters.get(messageId) ?? new Map<number, Set<string>>();
    this.pollVoters.set(messageId, answers);
    const voters = answers.get(answerId) ?? new Set<string>();
    answers.set(answerId, voters);
    if (action === 'add') voters.add(userId);
    else voters.delete(userId);
    if (!dispatch) return;
    this.dispatch(action === 'add' ? 'MESSAGE_POLL_VOTE_ADD' : 'MESSAGE_POLL_VOTE_REMOVE', {
      user_id: userId,
      channel_id: channelId,
      message_id: messageId,
      guild_id: this.guildId,
      answer_id: answerId,
    });
  }

  /** A person marks (or unmarks) themselves Interested in a scheduled event. */
  interested(eventId: string, userId: string, action: 'add' | 'remove' = 'add'): void {
    this.dispatch(action === 'add' ? 'GUILD_SCHEDULED_EVENT_USER_ADD' : 'GUILD_SCHEDULED_EVENT_USER_REMOVE', {
      guild_scheduled_event_id: eventId,
      user_id: userId,
      guild_id: this.guildId,
    });
  }

  /** A created message by id, as it now is (edits applied). */
  messageById(id: string): Json {
    return this.created.find((m) => m.id === id);
  }

  /** Drops the gateway connection the way a network failure does; the client should come back and resume. */
  dropConnection(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  /** Resolves once a client is connected and identified or resumed. */
  async connected(timeoutMs = 5000): Promise<void> {
    await this.until(
      () => this.socket?.readyState === WebSocket.OPEN && this.identifiedOrResumed,
      timeoutMs,
      this.connectionWaiters,
    );
  }

  /** Resolves with the first request, at or after index `from`, that matches. */
  async waitForRequest(
    match: (r: RecordedRequest) => boolean,
    { from = 0, timeoutMs = 5000 } = {},
  ): Promise<RecordedRequest> {
    let found: RecordedRequest | undefined;
    await this.until(
      () => {
        found = this.requests.slice(from).find(match);
        return found !== undefined;
      },
      timeoutMs,
      this.requestWaiters,
    );
    return found!;
  }

  private identifiedOrResumed = false;

  private async until(done: () => boolean, timeoutMs: number, waiters: Set<() => void>): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake Discord: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });
  }

  private notify(waiters: Set<() => void>): void {
    for (const waiter of [...waiters]) waiter();
  }

  // --- gateway -------------------------------------------------------------------------------------

  private onConnection(ws: WebSocket): void {
    this.socket = ws;
    this.identifiedOrResumed = false;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { op: number; d: Json };
      this.gatewayFrames.push(frame);
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (frame.op === 2) this.onIdentify();
      if (frame.op === 6) this.onResume(frame.d);
    });
  }

  private onIdentify(): void {
    this.seq = 0;
    this.dispatch('READY', {
      v: 10,
      user: this.bot,
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: this.sessionId,
      resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
      application: { id: this.applicationId, flags: 0 },
    });
    this.dispatch('GUILD_CREATE', this.guildPayload());
    this.identifiedOrResumed = true;
    this.notify(this.connectionWaiters);
  }

  private onResume(d: { session_id: string; seq: number }): void {
    if (d.session_id !== this.sessionId) {
      this.socket?.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    this.dispatch('RESUMED', null);
    this.identifiedOrResumed = true;
    this.notify(this.connectionWaiters);
  }

  private guildPayload(): Json {
    const all = [...this.channels.values()];
    const isThread = (c: Json) => c.type === CHANNEL.publicThread;
    return {
      id: this.guildId,
      name: 'Research lab',
      icon: null,
      owner_id: '1100000000000000099',
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      features: [],
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      roles: [
        role(this.guildId, '@everyone', EVERYONE_PERMISSIONS, 0),
        role(this.botRoleId, 'papers', this.botPermissions, 1),
      ],
      emojis: [],
      stickers: [],
      unavailable: false,
      member_count: 2,
      large: false,
      joined_at: new Date().toISOString(),
      members: [
        {
          user: this.bot,
          roles: [this.botRoleId],
          joined_at: new Date().toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
        },
      ],
      channels: all.filter((c) => !isThread(c)),
      threads: all.filter((c) => isThread(c) && !this.hiddenThreads.has(c.id)),
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  // --- REST ----------------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    const method = req.method ?? 'GET';
    const body = parseBody(Buffer.concat(chunks).toString(), req.headers['content-type']);
    const at = performance.now();
    const index = this.failures.findIndex((f) => f.match({ method, path, body }));
    const failure = index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
    // With afterHandling, Discord did the work and only the answer is lost on the way (a 502 from a proxy).
    const handled =
      !failure || failure.afterHandling ? this.route(method, path, body, url.searchParams) : undefined;
    const answer = failure?.response ?? (handled as FakeResponse);
    this.requests.push({
      method,
      path,
      query: url.searchParams,
      body,
      status: answer.status,
      response: answer.body,
      at,
    });
    if (answer.body === undefined) {
      // An empty body labelled JSON makes @discordjs/rest throw; Discord sends 204 with no type.
      res.writeHead(answer.status, answer.headers ?? {});
      res.end();
    } else {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    }
    this.notify(this.requestWaiters);
  }

  private route(method: string, path: string, body: Json, query: URLSearchParams): FakeResponse {
    for (const [verb, pattern, handle] of this.routes) {
      const params = verb === method ? matchPath(pattern, path) : undefined;
      if (params) return handle(params, body, query);
    }
    return { status: 404, body: { code: 0, message: `404: Not Found (${method} ${path})` } };
  }

  /** The REST routes the bot uses, as Discord answers them. */
  private readonly routes: [
    string,
    string,
    (params: string[], body: Json, query: URLSearchParams) => FakeResponse,
  ][] = [
    [
      'GET',
      '/gateway/bot',
      () =>
        ok({
          url: `ws://127.0.0.1:${this.port}/gateway`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        }),
    ],
    [
      'GET',
      '/channels/:id',
      ([id]) => (this.channels.has(id!) ? ok(this.channels.get(id!)) : unknownChannel()),
    ],
    [
      'POST',
      '/channels/:id/messages',
      ([id], body) => {
        const channel = this.channels.get(id!);
        if (!channel) return unknownChannel();
        if (channel.type === CHANNEL.forum) {
          return {
            status: 400,
            body: { code: 50008, message: 'Cannot send messages in a non-text channel' },
          };
        }
        if (channel.type === CHANNEL.dm && this.closedDms.has(channel.recipients[0].id)) {
          return { status: 403, body: { code: 50007, message: 'Cannot send messages to this user' } };
        }
        const key = body.enforce_nonce && body.nonce ? `${channel.id}:${body.nonce}` : undefined;
        const earlier = key ? this.byNonce.get(key) : undefined;
        if (earlier) return ok(earlier);
        const created = this.message(channel.id, body);
        this.created.push(created);
        if (key) this.byNonce.set(key, created);
        return ok(created);
      },
    ],
    [
      'POST',
      '/channels/:id/messages/:id/threads',
      ([parentId, messageId], body) => {
        const badName = invalidThreadName(body.name);
        if (badName) return badName;
        if (this.channels.has(messageId!)) {
          return {
            status: 400,
            body: { code: 160004, message: 'A thread has already been created for this message' },
          };
        }
        return { status: 201, body: this.thread(messageId!, parentId!, body.name) };
      },
    ],
    [
      'POST',
      '/channels/:id/threads',
      ([id], body) => {
        const forum = this.channels.get(id!);
        if (forum?.type !== CHANNEL.forum) return unknownChannel();
        const badName = invalidThreadName(body.name);
        if (badName) return badName;
        // A post carries at most 5 of the forum's own tags; a moderated one needs Manage Threads.
        const applied: string[] = body.applied_tags ?? [];
        const tags = applied.map((tagId) => (forum.available_tags ?? []).find((t: Json) => t.id === tagId));
        if (applied.length > FORUM.tagsPerPost || tags.some((t) => !t)) {
          return invalidForm('applied_tags', 'Invalid tags, or more than 5');
        }
        if (tags.some((t) => t.moderated) && !(this.botPermissions & PERMISSION.manageThreads)) {
          return missingPermissions();
        }
        const threadId = this.snowflake();
        const thread = this.thread(threadId, forum.id, body.name);
        thread.applied_tags = applied;
        // The opening message has the post's id.
        const message = this.message(threadId, body.message, threadId);
        this.created.push(message);
        return { status: 201, body: { ...thread, message } };
      },
    ],
    [
      'PATCH',
      '/channels/:id',
      ([id], body) => {
        const channel = this.channels.get(id!);
        if (!channel) return unknownChannel();
        if (!(this.botPermissions & PERMISSION.manageChannels)) return missingPermissions();
        const { available_tags: tags, ...rest } = body ?? {};
        if (tags !== undefined) {
          if (channel.type !== CHANNEL.forum) return invalidForm('available_tags', 'Not a forum');
          if (tags.length > FORUM.tagsPerForum)
            return invalidForm('available_tags', 'Must be 20 or fewer in length.');
          if (tags.some((t: Json) => !t.name || t.name.length > FORUM.tagName))
            return invalidForm('available_tags', 'A tag name must be 1 to 20 characters long.');
          // The list replaces the forum's: tags sent without an id are new, and are given one.
          channel.available_tags = tags.map((t: Json) => ({
            id: t.id ?? this.snowflake(),
            name: t.name,
            moderated: t.moderated ?? false,
            emoji_id: t.emoji_id ?? null,
            emoji_name: t.emoji_name ?? null,
          }));
        }
        Object.assign(channel, rest);
        if (this.socket?.readyState === WebSocket.OPEN) this.dispatch('CHANNEL_UPDATE', channel);
        return ok(channel);
      },
    ],
    [
      'GET',
      '/channels/:id/messages/:id',
      ([channelId, id]) => {
        const message = this.messageById(id!);
        return message?.channel_id === channelId
          ? ok(message)
          : { status: 404, body: { code: 10008, message: 'Unknown Message' } };
      },
    ],
    [
      'PATCH',
      '/channels/:id/messages/:id',
      ([, id], body) => {
        const message = this.messageById(id!);
        if (!message) return { status: 404, body: { code: 10008, message: 'Unknown Message' } };
        Object.assign(message, body, { edited_timestamp: new Date().toISOString() });
        return ok(message);
      },
    ],
    [
      'POST',
      '/channels/:id/polls/:id/expire',
      ([, id]) => {
        const message = this.messageById(id!);
        if (!message?.poll) return { status: 404, body: { code: 10008, message: 'Unknown Message' } };
        if (this.expiredPolls.has(id!))
          return { status: 400, body: { code: 520001, message: 'Poll expired' } };
        this.expiredPolls.add(id!);
        message.poll.expiry = new Date().toISOString();
        return ok(message);
      },
    ],
    [
      'GET',
      '/channels/:id/polls/:id/answers/:id',
      ([, messageId, answerId], _, query) => {
        const after = query.get('after') ?? '';
        const voters = [...(this.pollVoters.get(messageId!)?.get(Number(answerId)) ?? [])]
          .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
          .filter((id) => !after || BigInt(id) > BigInt(after));
        const users = voters.map((id) => ({
          id,
          username: `user-${id}`,
          discriminator: '0',
          global_name: null,
          avatar: null,
        }));
        return ok({ users: users.slice(0, Number(query.get('limit') ?? 25)) });
      },
    ],
    [
      'GET',
      '/users/:id',
      ([id]) => {
        const user = this.members.get(id!)?.user ?? { id, username: `user-${id}`, discriminator: '0' };
        return ok({ global_name: null, avatar: null, ...user });
      },
    ],
    [
      'POST',
      '/users/@me/channels',
      (_, body) => {
        const recipient = String(body.recipient_id);
        const existing = [...this.channels.values()].find(
          (c) => c.type === CHANNEL.dm && c.recipients[0].id === recipient,
        );
        const user = this.members.get(recipient)?.user ?? { id: recipient, username: `user-${recipient}` };
        if (existing) return ok(existing);
        // A direct message channel belongs to no server.
        const dm = {
          id: this.snowflake(),
          type: CHANNEL.dm,
          last_message_id: null,
          recipients: [{ discriminator: '0', global_name: null, avatar: null, ...user }],
        };
        this.channels.set(dm.id, dm);
        return ok(dm);
      },
    ],
    [
      'GET',
      '/guilds/:id/members/:id',
      ([, id]) =>
        this.members.has(id!)
          ? ok(this.members.get(id!))
          : { status: 404, body: { code: 10007, message: 'Unknown Member' } },
    ],
    ['GET', '/guilds/:id/scheduled-events', () => ok([...this.events.values()])],
    [
      'POST',
      '/guilds/:id/scheduled-events',
      (_, body) => {
        const event = {
          ...body,
          id: this.snowflake(),
          guild_id: this.guildId,
          creator_id: this.bot.id,
          status: 1,
        };
        this.events.set(event.id, event);
        return ok(event);
      },
    ],
    [
      'PATCH',
      '/guilds/:id/scheduled-events/:id',
      ([, id], body) => {
        const event = this.events.get(id!);
        if (!event) return { status: 404, body: { code: 10070, message: 'Unknown Guild Scheduled Event' } };
        Object.assign(event, body);
        return ok(event);
      },
    ],
    ['POST', '/interactions/:id/:token/callback', () => ({ status: 204 })],
    ['POST', '/webhooks/:id/:token', (_, body) => ok(this.message(this.textChannelId, body))],
    [
      'PATCH',
      '/webhooks/:id/:token/messages/@original',
      (_, body) => ok(this.message(this.textChannelId, body)),
    ],
    ['DELETE', '/webhooks/:id/:token/messages/@original', () => ({ status: 204 })],
    ['PUT', '/applications/:id/commands', (_, body) => ok(this.registered(body))],
    ['PUT', '/applications/:id/guilds/:id/commands', (_, body) => ok(this.registered(body))],
  ];

  private registered(commands: Json[]): Json[] {
    return commands.map((c) => ({
      ...c,
      id: this.snowflake(),
      application_id: this.applicationId,
      version: '1',
    }));
  }

  private thread(id: string, parentId: string, name: string): Json {
    return this.addChannel({
      id,
      type: CHANNEL.publicThread,
      parent_id: parentId,
      name,
      owner_id: this.bot.id,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      flags: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 10080,
        archive_timestamp: new Date().toISOString(),
        create_timestamp: new Date().toISOString(),
        locked: false,
      },
    });
  }

  private message(channelId: string, body: Json, id = this.snowflake()): Json {
    return {
      id,
      channel_id: channelId,
      author: this.bot,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: body.flags ?? 0,
      type: 0,
      ...(body.poll ? { poll: pollOf(body.poll) } : {}),
    };
  }
}

/** A poll as a message carries it, from what the bot sent: answers numbered from 1, an expiry. */
function pollOf(sent: Json): Json {
  return {
    question: sent.question,
    answers: (sent.answers ?? []).map((a: Json, i: number) => ({
      answer_id: i + 1,
      poll_media: a.poll_media ?? { text: a.text },
    })),
    expiry: new Date(Date.now() + Number(sent.duration ?? 24) * 3_600_000).toISOString(),
    allow_multiselect: sent.allow_multiselect ?? false,
    layout_type: sent.layout_type ?? 1,
  };
}

/** The values of the `:name` segments when `path` fits `pattern`. */
function matchPath(pattern: string, path: string): string[] | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const values: string[] = [];
  for (const [i, segment] of want.entries()) {
    if (segment.startsWith(':')) values.push(got[i]!);
    else if (segment !== got[i]) return undefined;
  }
  return values;
}

function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}

function unknownChannel(): FakeResponse {
  return { status: 404, body: { code: 10003, message: 'Unknown Channel' } };
}

function missingPermissions(): FakeResponse {
  return { status: 403, body: { code: 50013, message: 'Missing Permissions' } };
}

/** Discord's 50035, naming the field that is wrong. */
function invalidForm(field: string, message: string): FakeResponse {
  return {
    status: 400,
    body: {
      code: 50035,
      message: 'Invalid Form Body',
      errors: { [field]: { _errors: [{ code: 'BASE_TYPE_INVALID', message }] } },
    },
  };
}

/** A thread's name must have 1 to 100 characters. */
function invalidThreadName(name: unknown): FakeResponse | undefined {
  if (typeof name === 'string' && name.length >= 1 && name.length <= FORUM.threadName) return undefined;
  return invalidForm('name', 'Must be between 1 and 100 in length.');
}

function parseBody(raw: string, contentType: string | undefined): Json {
  if (!raw) return undefined;
  if (contentType?.startsWith('application/json')) return JSON.parse(raw);
  // discord.js sends multipart only with files; its JSON part is named payload_json.
  const json = /name="payload_json"\r\n(?:Content-Type: application\/json\r\n)?\r\n([\s\S]*?)\r\n--/.exec(
    raw,
  );
  return json ? JSON.parse(json[1]!) : raw;
}
