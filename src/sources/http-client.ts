import ky, { HTTPError, type KyInstance, TimeoutError } from 'ky';
import pLimit from 'p-limit';
import pThrottle from 'p-throttle';
import { sourceFetches } from '../ops/metrics.js';

/**
 * Sent with every request, so an upstream operator can see who is calling and, with the deployment's
 * `SOURCES_CONTACT` (an email address or a URL), whom to write to.
 */
export function userAgent(contact?: string): string {
  const reach = !contact
    ? ''
    : contact.includes('@') && !contact.includes('://')
      ? `; mailto:${contact}`
      : `; +${contact}`;
  return `papers/0.1 (chat bot for research teams${reach})`;
}

/** A request to an upstream failed after every retry: network error, timeout or an HTTP error status. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/** An upstream answered, but not with what it promised (truncated JSON, an HTML page, an error entry). */
export class SourceFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceFormatError';
  }
}

/** Notes on an error how many requests a unit sent before it, for the run's request count. */
export function withRequests(err: unknown, requests: number): unknown {
  if (err instanceof Error) Object.assign(err, { requests });
  return err;
}

/**
 * Serialises the requests of one upstream: at most one connection at a time, and starts spaced by at
 * least `spacingMs`. Every attempt (retries included) passes through it.
 */
export interface RequestGate {
  /** Runs a whole request, retries and body included, while holding the one connection. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves when the next attempt may start. */
  nextAttempt(): Promise<void>;
}

export function createRequestGate(options: { spacingMs: number; concurrency?: number }): RequestGate {
  const limit = pLimit(options.concurrency ?? 1);
  const spacing =
    options.spacingMs > 0
      ? pThrottle({ limit: 1, interval: options.spacingMs, strict: true })(() => undefined)
      : async () => undefined;
  return {
    exclusive: (task) => limit(task),
    nextAttempt: async () => {
      await spacing();
    },
  };
}

/** arXiv asks for one request every 3 s and one connection at a time, across API, RSS and OAI together. */
export const ARXIV_SPACING_MS = 3_000;

export interface HttpClientOptions {
  /** The upstream's name in the request metrics: `hf`, `arxiv`. */
  source?: string;
  userAgent?: string;
  /** Per attempt, until the response headers arrive. */
  timeoutMs?: number;
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. */
  retries?: number;
  /** First backoff delay; doubles each retry, with full jitter. */
  backoffMs?: number;
  /** Longest wait a `Retry-After` may impose before the request is given up. */
  maxRetryAfterMs?: number;
  gate?: RequestGate;
}

/** A polite GET client: timeouts, retries with backoff and jitter, `Retry-After`, a User-Agent, a gate. */
export interface HttpClient {
  getText(url: string, searchParams?: Record<string, string | number>): Promise<HttpText>;
  getJson(url: string, searchParams?: Record<string, string | number>): Promise<unknown>;
}

export interface HttpText {
  body: string;
  contentType: string;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const gate = options.gate ?? createRequestGate({ spacingMs: 0, concurrency: 4 });
  const backoffMs = options.backoffMs ?? 1_000;
  const http: KyInstance = ky.create({
    timeout: options.timeoutMs ?? 20_000,
    headers: { 'user-agent': options.userAgent ?? userAgent() },
    retry: {
      limit: options.retries ?? 4,
      methods: ['get'],
      statusCodes: [408, 429, 500, 502, 503, 504],
      afterStatusCodes: [429, 503],
      maxRetryAfter: options.maxRetryAfterMs ?? 120_000,
      retryOnTimeout: true,
      delay: (attempt) => backoffMs * 2 ** (attempt - 1),
      backoffLimit: 60_000,
      jitter: true,
    },
    hooks: { beforeRequest: [() => gate.nextAttempt()] },
  });

  async function getText(url: string, searchParams?: Record<string, string | number>): Promise<HttpText> {
    const shown = describeUrl(url, searchParams);
    return gate.exclusive(async () => {
      const source = options.source ?? 'other';
      try {
        const response = await http.get(url, searchParams ? { searchParams } : {});
        const text = { body: await response.text(), contentType: response.headers.get('content-type') ?? '' };
        sourceFetches.inc({ source, outcome: 'ok' });
        return text;
      } catch (err) {
        sourceFetches.inc({ source, outcome: 'failed' });
        throw toSourceError(err, shown);
      }
    });
  }

  return {
    getText,
    async getJson(url, searchParams) {
      const { body, contentType } = await getText(url, searchParams);
      if (/html/i.test(contentType) || /^\s*</.test(body)) {
        throw new SourceFormatError(`${describeUrl(url, searchParams)} sent an HTML page instead of JSON`);
      }
      try {
        return JSON.parse(body) as unknown;
      } catch (err) {
        throw new SourceFormatError(
          `${describeUrl(url, searchParams)} sent invalid JSON (${(err as Error).message})`,
        );
      }
    },
  };
}

function describeUrl(url: string, searchParams?: Record<string, string | number>): string {
  if (!searchParams) return url;
  const query = new URLSearchParams(
    Object.entries(searchParams).map(([k, v]): [string, string] => [k, String(v)]),
  );
  return `${url}?${query}`;
}

function toSourceError(err: unknown, url: string): Error {
  if (err instanceof HTTPError) {
    return new SourceError(`${url} answered HTTP ${err.response.status}`, err.response.status);
  }
  if (err instanceof TimeoutError) return new SourceError(`${url} did not answer in time`);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const reason =
    cause instanceof Error ? (cause as NodeJS.ErrnoException).code || cause.message : String(cause);
  return new SourceError(`${url} could not be reached (${reason})`);
}
