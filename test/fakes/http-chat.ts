import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatAdapter, CommandRef, InboundHandlers } from '../../src/domain/ports.js';
import type { ChannelRef, MessageRef, OutboundMessage } from '../../src/domain/types.js';

/** A message as the fake chat platform stored it. */
export interface StoredMessage {
  id: string;
  channel: string;
  thread: string | null;
  kind: OutboundMessage['kind'];
  tag: string | null;
  paperId: string | null;
  at: number;
}

/**
 * A chat platform over HTTP on 127.0.0.1, for tests whose bot runs in other processes (and gets killed):
 * the messages outlive the bot. POST /messages stores one (after `delayMs`, to give kills a window);
 * GET /messages lists them.
 */
export class FakeChatServer {
  readonly messages: StoredMessage[] = [];
  /** Called as a message arrives, before it is stored and answered. */
  onRequest: (() => void) | undefined;
  private server: Server | undefined;
  private seq = 0;

  constructor(private readonly delayMs = 0) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(this.messages));
        return;
      }
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        this.onRequest?.();
        setTimeout(() => {
          const input = JSON.parse(body) as Omit<StoredMessage, 'id' | 'at'>;
          const message = { ...input, id: `msg-${++this.seq}`, at: Date.now() };
          this.messages.push(message);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(message));
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** The bot's side of FakeChatServer: a real ChatAdapter speaking HTTP, with findPosted. */
export class HttpChatAdapter implements ChatAdapter {
  readonly platform = 'console' as const;

  constructor(private readonly baseUrl: string) {}

  async start(_handlers: InboundHandlers): Promise<void> {}
  async stop(): Promise<void> {}

  async post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    const stored = await this.send(channel.channelId, null, message);
    return { channel, messageId: stored.id };
  }

  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const stored = await this.send(thread.channel.channelId, thread.messageId, message);
    return { channel: thread.channel, messageId: stored.id, threadId: thread.messageId };
  }

  async respond(_command: CommandRef, _message: OutboundMessage): Promise<void> {}

  async findPosted(where: {
    channel: ChannelRef;
    thread?: MessageRef;
    tags: string[];
  }): Promise<Map<string, string>> {
    const all = (await (await fetch(`${this.baseUrl}/messages`)).json()) as StoredMessage[];
    const found = new Map<string, string>();
    for (const m of all) {
      if (m.channel !== where.channel.channelId || !m.tag || !where.tags.includes(m.tag)) continue;
      if (where.thread && m.thread !== where.thread.messageId) continue;
      found.set(m.tag, m.id);
    }
    return found;
  }

  private async send(
    channel: string,
    thread: string | null,
    message: OutboundMessage,
  ): Promise<StoredMessage> {
    const body = {
      channel,
      thread,
      kind: message.kind,
      tag: message.tag ?? null,
      paperId: message.kind === 'paper' ? message.paper.id : null,
    };
    const res = await fetch(`${this.baseUrl}/messages`, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as StoredMessage;
  }
}
