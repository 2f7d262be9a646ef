import { Pacer } from '../../adapters/slack/pacer.js';
import type { ChatAdapter, InboundHandlers, Responder } from '../../src/domain/ports.js';
import type { ChannelRef, MessageRef, OutboundMessage, Platform, Workspace } from '../../src/domain/types.js';

export interface Delivered {
  kind: 'post' | 'reply' | 'response' | 'dm';
  channelId: string;
  messageId: string;
  threadId?: string;
  message: OutboundMessage;
  private: boolean;
  at: number;
}

export interface MemoryAdapterOptions {
  platform?: Platform;
  /** Refuse (as a platform's 429 would) a message that comes sooner than this after the last in its channel. */
  rateLimitMs?: number;
  /** Space messages per channel by this much, as the Slack adapter does for Slack's rate (0: none). */
  paceMs?: number;
  /** Called before each post/reply with its sequence number; throwing simulates a crash at that step. */
  beforeSend?: (step: number) => void;
  /** Called once a post/reply has reached the platform; throwing simulates a crash before it is recorded. */
  afterSend?: (step: number) => void;
  /** Messages already on the platform (from an earlier process), for threadReplies. */
  history?: Delivered[];
  now?: () => number;
}

/** A chat platform in memory: keeps every message, enforces a per-channel rate, and can fail on cue. */
export class MemoryAdapter implements ChatAdapter {
  readonly platform: Platform;
  private readonly rateLimitMs: number;
  private readonly pacer: Pacer | undefined;
  readonly delivered: Delivered[] = [];
  /** Messages refused for coming too fast: a lost post if the caller does not pace. */
  rateLimited = 0;
  handlers: InboundHandlers | undefined;
  private seq = 0;
  private readonly instance = Math.random().toString(36).slice(2, 8);
  private readonly lastInChannel = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: MemoryAdapterOptions = {}) {
    this.platform = options.platform ?? 'console';
    this.rateLimitMs = options.rateLimitMs ?? 0;
    this.pacer = options.paceMs
      ? new Pacer({ intervalMs: options.paceMs, retryAfterMs: () => undefined })
      : undefined;
    this.now = options.now ?? Date.now;
  }

  async start(handlers: InboundHandlers): Promise<void> {
    this.handlers = handlers;
  }

  async stop(): Promise<void> {}

  async post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    const messageId = await this.send(channel.channelId);
    this.delivered.push({
      kind: 'post',
      channelId: channel.channelId,
      messageId,
      message,
      private: false,
      at: this.now(),
    });
    this.options.afterSend?.(this.seq);
    return { channel, messageId };
  }

  /** A direct message: kept with the person's id as its channel, `dm:<user>`. */
  async dm(ws: Workspace, userId: string, message: OutboundMessage): Promise<MessageRef> {
    const channel = { platform: this.platform, workspaceId: ws.workspaceId, channelId: `dm:${userId}` };
    const messageId = await this.send(channel.channelId);
    this.delivered.push({
      kind: 'dm',
      channelId: channel.channelId,
      messageId,
      message,
      private: true,
      at: this.now(),
    });
    return { channel, messageId };
  }

  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const messageId = await this.send(thread.channel.channelId);
    this.delivered.push({
      kind: 'reply',
      channelId: thread.channel.channelId,
      messageId,
      threadId: thread.messageId,
      message,
      private: false,
      at: this.now(),
    });
    this.options.afterSend?.(this.seq);
    return { channel: thread.channel, messageId, threadId: thread.messageId };
  }

  async findPosted(where: {
    channel: ChannelRef;
    thread?: MessageRef;
    tags: string[];
  }): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const d of [...(this.options.history ?? []), ...this.delivered]) {
      const tag = d.message.tag;
      if (!tag || !where.tags.includes(tag) || d.channelId !== where.channel.channelId) continue;
      if (where.thread && d.threadId !== where.thread.messageId) continue;
      found.set(tag, d.messageId);
    }
    return found;
  }

  /** The way back for a command asked in `channel`: its answers are kept as responses. */
  responder(channel: ChannelRef): Responder {
    return async (message, opts) => {
      this.delivered.push({
        kind: 'response',
        channelId: channel.channelId,
        messageId: `r${++this.seq}`,
        message,
        private: opts.private,
        at: this.now(),
      });
    };
  }

  /** Texts of responses, newest last. */
  responses(): string[] {
    return this.delivered
      .filter((d) => d.kind === 'response')
      .map((d) => (d.message.kind === 'text' ? d.message.text : d.message.kind));
  }

  inChannel(channelId: string, kind?: Delivered['kind']): Delivered[] {
    return this.delivered.filter((d) => d.channelId === channelId && (!kind || d.kind === kind));
  }

  private send(channelId: string): Promise<string> {
    const send = async () => this.deliver(channelId);
    return this.pacer ? this.pacer.run(channelId, send) : send();
  }

  private deliver(channelId: string): string {
    const step = ++this.seq;
    this.options.beforeSend?.(step);
    const now = this.now();
    const last = this.lastInChannel.get(channelId);
    if (this.rateLimitMs > 0 && last !== undefined && now - last < this.rateLimitMs - 5) {
      this.rateLimited++;
      throw new Error(`rate limited in ${channelId}: ${now - last} ms after the previous message`);
    }
    this.lastInChannel.set(channelId, now);
    return `${this.platform}-${this.instance}-${step}`;
  }
}
