import { addDays, eachDay, monthOf } from '../domain/days.js';
import type { PaperInput } from '../domain/paper-input.js';
import type { FetchedPapers, IngestRequest, IngestUnit, PaperSource, SkippedItem } from '../domain/ports.js';
import { parseArxivAtom } from './arxiv-atom.js';
import { type HttpClient, SourceFormatError, withRequests } from './http-client.js';

export interface ArxivApiOptions {
  /** The query endpoint, e.g. https://export.arxiv.org/api/query */
  url: string;
  /** Shares arXiv's gate with the RSS source: the 3 s spacing is across both. */
  http: HttpClient;
  pageSize?: number;
}

/** The arXiv query API: listings by category and submission month, and lookup of given ids. */
export interface ArxivApi extends PaperSource {
  /** Fetches the given ids (with or without version); ids arXiv does not know are simply absent. */
  lookup(ids: string[]): Promise<FetchedPapers>;
}

/**
 * Papers per page. Every request waits its turn behind arXiv's 3 s spacing, so a backfill costs one
 * request per month and category plus one per thousand papers. arXiv caps a page at 2000; a thousand
 * keeps each answer well within the request timeout.
 */
const DEFAULT_PAGE_SIZE = 1000;
const IDS_PER_LOOKUP = 100;

export function createArxivApiSource(options: ArxivApiOptions): ArxivApi {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;

  async function query(params: Record<string, string>): Promise<FetchedPapers> {
    const papers: PaperInput[] = [];
    const skipped: SkippedItem[] = [];
    let requests = 0;
    try {
      for (let start = 0; ; start += pageSize) {
        requests += 1;
        const { body } = await options.http.getText(options.url, { ...params, start, max_results: pageSize });
        const page = parseArxivAtom(body);
        const total = page.total ?? 0;
        // The API now and then answers an empty page in the middle of a result; taking it for the end
        // would remember a month as done with papers missing.
        if (page.entries === 0 && start < total) {
          throw new SourceFormatError(
            `arXiv answered an empty page at ${start} of ${total}; try again later`,
          );
        }
        papers.push(...page.papers);
        skipped.push(...page.skipped);
        if (page.entries < pageSize || start + pageSize >= total) break;
      }
    } catch (err) {
      throw withRequests(err, requests);
    }
    return { papers, skipped, requests };
  }

  return {
    name: 'arxiv',
    // A day's submissions are announced over the next working days, and replacements keep coming.
    settleDays: 4,
    plan: (request) => planCategoryMonths(request),
    fetch: (unit) => {
      const { category, from, to } = unit.params;
      const first = (from ?? '').replaceAll('-', '');
      const last = (to ?? '').replaceAll('-', '');
      return query({
        search_query: `cat:${category} AND submittedDate:[${first}0000 TO ${last}2359]`,
        sortBy: 'submittedDate',
        sortOrder: 'descending',
      });
    },
    async lookup(ids) {
      const papers: PaperInput[] = [];
      const skipped: SkippedItem[] = [];
      let requests = 0;
      try {
        for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
          const batch = ids.slice(i, i + IDS_PER_LOOKUP);
          requests += 1;
          const { body } = await options.http.getText(options.url, {
            id_list: batch.join(','),
            max_results: batch.length,
          });
          const page = parseArxivAtom(body);
          papers.push(...page.papers);
          skipped.push(...page.skipped);
        }
      } catch (err) {
        throw withRequests(err, requests);
      }
      return { papers, skipped, requests };
    },
  };
}

/**
 * One unit per category and calendar month, clipped to the requested days. A whole month is keyed
 * `arxiv:cs.CL:2026-01`, a single day `arxiv:cs.CL:2026-01-05` and any other stretch
 * `arxiv:cs.CL:2026-01-05..2026-01-20`, so a unit is only ever remembered for the days it fetched. The
 * days of a longer unit are its parts: days finished one at a time by earlier runs count for it.
 */
function planCategoryMonths(request: IngestRequest): IngestUnit[] {
  const windows: { from: string; to: string }[] = [];
  for (let from = request.from; from <= request.to; ) {
    const to = monthOf(from).month === monthOf(request.to).month ? request.to : monthOf(from).lastDay;
    windows.push({ from, to });
    from = addDays(to, 1);
  }
  return request.categories.flatMap((category) =>
    windows.map(({ from, to }): IngestUnit => {
      const span =
        from === to
          ? from
          : from.slice(8) === '01' && to === monthOf(from).lastDay
            ? from.slice(0, 7)
            : `${from}..${to}`;
      const unit: IngestUnit = {
        key: `arxiv:${category}:${span}`,
        label: `arXiv ${category} ${span}`,
        lastDay: to,
        params: { category, from, to },
      };
      if (from !== to) unit.parts = eachDay(from, to).map((day) => `arxiv:${category}:${day}`);
      return unit;
    }),
  );
}
