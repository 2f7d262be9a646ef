import type { Config } from '../config.js';
import type { PaperSource } from '../domain/ports.js';
import { type ArxivApi, createArxivApiSource } from './arxiv-api.js';
import { createArxivRssSource } from './arxiv-listing.js';
import { createHfDailySource } from './hf-daily.js';
import {
  ARXIV_SPACING_MS,
  createHttpClient,
  createRequestGate,
  type HttpClientOptions,
  userAgent,
} from './http-client.js';

/** Every upstream, built from the configured base URLs. */
export interface Sources {
  hf: ReturnType<typeof createHfDailySource>;
  arxiv: ArxivApi;
  rss: PaperSource;
}

export type SourceUrls = Pick<Config, 'HF_API_URL' | 'ARXIV_API_URL' | 'ARXIV_RSS_URL'> &
  Partial<Pick<Config, 'SOURCES_CONTACT'>>;

/**
 * Builds the sources. The arXiv API and RSS share one gate: arXiv's terms allow one request every 3 s
 * and one connection at a time across all its services together.
 */
export function createSources(
  urls: SourceUrls,
  options: { http?: Omit<HttpClientOptions, 'gate'>; arxivSpacingMs?: number; hfSpacingMs?: number } = {},
): Sources {
  const http = { userAgent: userAgent(urls.SOURCES_CONTACT), ...options.http };
  const arxivGate = createRequestGate({ spacingMs: options.arxivSpacingMs ?? ARXIV_SPACING_MS });
  const arxivHttp = createHttpClient({ ...http, source: 'arxiv', gate: arxivGate });
  // Hugging Face allows 500 requests per 5 minutes: two at a time, a little apart, stays far below.
  const hfHttp = createHttpClient({
    ...http,
    source: 'hf',
    gate: createRequestGate({ spacingMs: options.hfSpacingMs ?? 250, concurrency: 2 }),
  });
  return {
    hf: createHfDailySource({ baseUrl: urls.HF_API_URL, http: hfHttp }),
    arxiv: createArxivApiSource({ url: urls.ARXIV_API_URL, http: arxivHttp }),
    rss: createArxivRssSource({ baseUrl: urls.ARXIV_RSS_URL, http: arxivHttp }),
  };
}
