import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the fake answers to one request. */
export type FakeReply =
  | { status?: number; body: string; contentType?: string; headers?: Record<string, string> }
  /** Accepts the request and never answers: a hung upstream. */
  | { hang: true };

/** One request the fake received. */
export interface ReceivedRequest {
  path: string;
  query: URLSearchParams;
  userAgent: string;
  /** `Date.now()` when it arrived (fake time when the test fakes Date). */
  at: number;
}

type Handler = (request: ReceivedRequest) => FakeReply;

/**
 * A local stand-in for Hugging Face and arXiv on 127.0.0.1: each path answers from a script of replies
 * (one per request, the last one repeating) or from a handler, and every request is recorded.
 */
export class FakeSourceServer {
  readonly requests: ReceivedRequest[] = [];
  /** The most requests that were ever open at the same time. */
  maxOpen = 0;
  private open = 0;
  private readonly routes = new Map<string, Handler>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeSourceServer> {
    let fake: FakeSourceServer | undefined;
    const server = createServer((req, res) => fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSourceServer(server, `http://127.0.0.1:${port}`);
    server.on('connection', (socket) => {
      fake?.sockets.add(socket);
      socket.on('close', () => fake?.sockets.delete(socket));
    });
    return fake;
  }

  /** Answers requests to `path` with these replies in order; the last one answers every later request. */
  script(path: string, replies: FakeReply[]): this {
    let next = 0;
    this.routes.set(path, () => {
      const reply = replies[Math.min(next, replies.length - 1)];
      next += 1;
      if (!reply) throw new Error(`no reply scripted for ${path}`);
      return reply;
    });
    return this;
  }

  route(path: string, handler: Handler): this {
    this.routes.set(path, handler);
    return this;
  }

  requestsTo(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const request: ReceivedRequest = {
      path: url.pathname,
      query: url.searchParams,
      userAgent: req.headers['user-agent'] ?? '',
      at: Date.now(),
    };
    this.requests.push(request);
    this.open += 1;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    res.on('close', () => {
      this.open -= 1;
    });
    const handler = this.routes.get(url.pathname);
    const reply: FakeReply = handler ? handler(request) : { status: 404, body: 'not found' };
    if ('hang' in reply) return;
    res.writeHead(reply.status ?? 200, {
      'content-type': reply.contentType ?? 'application/json',
      ...reply.headers,
    });
    res.end(reply.body);
  }
}

const FIXTURES = new URL('../fixtures/sources/', import.meta.url);

/** A recorded real response from test/fixtures/sources. */
export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

export const json = (value: unknown, status = 200): FakeReply => ({ status, body: JSON.stringify(value) });
export const atom = (body: string, status = 200): FakeReply => ({
  status,
  body,
  contentType: 'application/atom+xml; charset=utf-8',
});
export const rss = (body: string): FakeReply => ({ body, contentType: 'application/rss+xml; charset=utf-8' });
