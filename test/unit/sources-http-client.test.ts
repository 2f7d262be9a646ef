import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createHttpClient,
  createRequestGate,
  SourceError,
  SourceFormatError,
} from '../../src/sources/http-client.js';
import { FakeSourceServer, json } from '../fakes/source-server.js';
import { settle, useFakeClock } from '../helpers/fake-time.js';

describe('polite HTTP client', () => {
  let server: FakeSourceServer;

  beforeEach(async () => {
    server = await FakeSourceServer.start();
    useFakeClock();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await server.close();
  });

  it('retries a 500 and returns the answer that follows, naming itself in the User-Agent', async () => {
    server.script('/api/x', [{ status: 500, body: 'oops' }, json({ ok: true })]);
    const client = createHttpClient({ userAgent: 'papers-test (+https://example.org)' });
    expect(await settle(client.getJson(`${server.url}/api/x`))).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.userAgent).toBe('papers-test (+https://example.org)');
  });

  it('waits as long as a 429 Retry-After asks before trying again', async () => {
    server.script('/api/x', [{ status: 429, body: 'slow down', headers: { 'retry-after': '2' } }, json([1])]);
    const client = createHttpClient();
    expect(await settle(client.getJson(`${server.url}/api/x`))).toEqual([1]);
    const [first, second] = server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_000);
  });

  it('gives up on a hung connection after its timeout and retries, then reports the failure', async () => {
    server.script('/api/x', [{ hang: true }]);
    const client = createHttpClient({ timeoutMs: 5_000, retries: 2 });
    const failure = settle(client.getJson(`${server.url}/api/x`));
    await expect(failure).rejects.toThrow(SourceError);
    await expect(failure).rejects.toThrow(/did not answer in time/);
    expect(server.requests).toHaveLength(3);
  });

  it('says the upstream could not be reached when every connection is refused', async () => {
    const closed = await FakeSourceServer.start();
    await closed.close();
    const failure = settle(createHttpClient({ retries: 2 }).getJson(`${closed.url}/api/x`));
    await expect(failure).rejects.toThrow(`${closed.url}/api/x could not be reached (ECONNREFUSED)`);
  });

  it('does not retry a 404 and says which URL failed', async () => {
    server.script('/api/x', [{ status: 404, body: 'no' }]);
    const failure = settle(createHttpClient().getJson(`${server.url}/api/x`, { q: 'a' }));
    await expect(failure).rejects.toThrow(`${server.url}/api/x?q=a answered HTTP 404`);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects truncated JSON and an HTML error page as malformed, not as data', async () => {
    server.script('/api/truncated', [{ body: '[{"paper": {"id": "2401.0' }]);
    server.script('/api/html', [{ body: '<html><body>Bad gateway</body></html>', contentType: 'text/html' }]);
    const client = createHttpClient();
    await expect(settle(client.getJson(`${server.url}/api/truncated`))).rejects.toThrow(SourceFormatError);
    await expect(settle(client.getJson(`${server.url}/api/html`))).rejects.toThrow(
      /HTML page instead of JSON/,
    );
  });

  it('spaces requests through a shared gate and never opens two connections at once', async () => {
    server.script('/a', [json(1)]);
    server.script('/b', [{ status: 503, body: 'busy' }, json(2)]);
    const gate = createRequestGate({ spacingMs: 3_000 });
    const api = createHttpClient({ gate });
    const feed = createHttpClient({ gate });
    const results = await settle(
      Promise.all([
        api.getJson(`${server.url}/a`),
        feed.getJson(`${server.url}/b`),
        api.getJson(`${server.url}/a`),
      ]),
    );
    expect(results).toEqual([1, 2, 1]);
    expect(server.requests).toHaveLength(4);
    const gaps = server.requests.slice(1).map((r, i) => r.at - server.requests[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(3_000);
    expect(server.maxOpen).toBe(1);
  });
});
