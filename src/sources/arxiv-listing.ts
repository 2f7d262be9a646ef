import type { IngestUnit, PaperSource } from '../domain/ports.js';
import { parseArxivRss } from './arxiv-rss.js';
import type { HttpClient } from './http-client.js';

export interface ArxivRssOptions {
  /** The feed root, e.g. https://rss.arxiv.org/rss */
  baseUrl: string;
  /** Shares arXiv's gate with the API source. */
  http: HttpClient;
}

/**
 * arXiv's new-listings feed for some categories (one request for all of them, joined with `+`): today's
 * announcements only, so a request's dates name the day it is remembered under, not what it fetches.
 */
export function createArxivRssSource(options: ArxivRssOptions): PaperSource {
  const root = options.baseUrl.replace(/\/$/, '');
  return {
    name: 'rss',
    settleDays: 0,
    plan: (request): IngestUnit[] => {
      const categories = request.categories.join('+');
      return [
        {
          key: `rss:${categories}:${request.to}`,
          label: `arXiv listing ${categories}`,
          lastDay: request.to,
          params: { categories },
        },
      ];
    },
    fetch: async (unit) => {
      const { body } = await options.http.getText(`${root}/${unit.params.categories}`);
      const listing = parseArxivRss(body);
      return { papers: listing.items.map((i) => i.paper), skipped: listing.skipped };
    },
  };
}
