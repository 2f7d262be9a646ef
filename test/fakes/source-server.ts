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

export type Handler = (request: ReceivedRequest) => FakeReply;

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

/** A paper in the fake arXiv catalogue. */
export interface CataloguePaper {
  /** `2501.00001` */
  id: string;
  category: string;
  /** When it was submitted: `2025-01-15T09:30:00Z`. */
  submitted: string;
}

/**
 * `count` papers of one category with submissions spread evenly over the days from `from` to `to`, or
 * over the days `weight` favours (a day gets papers in proportion to its weight).
 */
export function generateCatalogue(
  count: number,
  category: string,
  from: string,
  to: string,
  weight: (day: string) => number = () => 1,
): CataloguePaper[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  const weights = days.map(weight);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const perMonth = new Map<string, number>();
  const papers: CataloguePaper[] = [];
  let placed = 0;
  let cumulative = 0;
  days.forEach((day, i) => {
    cumulative += weights[i] ?? 0;
    const upTo = Math.round((count * cumulative) / totalWeight);
    for (; placed < upTo; placed += 1) {
      const month = `${day.slice(2, 4)}${day.slice(5, 7)}`;
      const n = (perMonth.get(month) ?? 0) + 1;
      perMonth.set(month, n);
      const minute = n % 1440;
      const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      papers.push({
        id: `${month}.${String(n).padStart(5, '0')}`,
        category,
        submitted: `${day}T${time}:00Z`,
      });
    }
  });
  return papers;
}

/**
 * Answers `/api/query` the way the arXiv API does over a catalogue: `cat:<category> AND
 * submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]`, newest first, paged by `start` and `max_results` (at most
 * 2000, as arXiv caps it), with the feed's `opensearch:totalResults`. `intercept` may answer a request
 * itself (a failure) before the catalogue does.
 */
export function arxivCatalogue(
  papers: readonly CataloguePaper[],
  intercept?: (request: ReceivedRequest) => FakeReply | undefined,
): Handler {
  return (request) => {
    const special = intercept?.(request);
    if (special) return special;
    const query = request.query.get('search_query') ?? '';
    const match = /^cat:(\S+) AND submittedDate:\[(\d{12}) TO (\d{12})\]$/.exec(query);
    if (!match) return atom(catalogueFeed([], 0), 400);
    const [, category, first, last] = match as unknown as [string, string, string, string];
    const start = Number(request.query.get('start') ?? 0);
    const size = Math.min(Number(request.query.get('max_results') ?? 10), 2000);
    const hits = papers
      .filter((p) => p.category === category)
      .filter((p) => {
        const at = p.submitted.replace(/[-T:]/g, '').slice(0, 12);
        return at >= first && at <= last;
      })
      .sort((a, b) => (a.submitted < b.submitted ? 1 : a.submitted > b.submitted ? -1 : 0));
    return atom(catalogueFeed(hits.slice(start, start + size), hits.length));
  };
}

/** The `search_query` window of a request to the fake catalogue: `[202501010000 TO 202501312359]`. */
export function queriedWindow(request: ReceivedRequest): string {
  return /submittedDate:(\[.*\])/.exec(request.query.get('search_query') ?? '')?.[1] ?? '';
}

function catalogueFeed(papers: readonly CataloguePaper[], total: number): string {
  const entries = papers.map(
    (p) => `  <entry>
    <id>http://arxiv.org/abs/${p.id}v1</id>
    <title>Generated paper ${p.id}</title>
    <updated>${p.submitted}</updated>
    <summary>An abstract of generated paper ${p.id}.</summary>
    <category term="${p.category}" scheme="http://arxiv.org/schemas/atom"/>
    <published>${p.submitted}</published>
    <arxiv:primary_category term="${p.category}"/>
    <author><name>A. Author</name></author>
  </entry>`,
  );
  return atomFeed(entries, total);
}

/** An arXiv API answer holding these `<entry>` elements, with the feed's own paging numbers. */
export function atomFeed(entries: string[], total = entries.length): string {
  return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <title>arXiv Query</title>
  <opensearch:totalResults>${total}</opensearch:totalResults>
  ${entries.join('\n')}
</feed>`;
}
