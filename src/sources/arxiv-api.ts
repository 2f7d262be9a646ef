import { eachDay } from '../domain/days.js';
import type { PaperInput } from '../domain/paper-input.js';
import type { FetchedPapers, IngestRequest, IngestUnit, PaperSource, SkippedItem } from '../domain/ports.js';
import { parseArxivAtom } from './arxiv-atom.js';
import { type HttpClient, SourceFormatError } from './http-client.js';

export interface ArxivApiOptions {
  /** The query endpoint, e.g. https://export.arxiv.org/api/query */
  url: string;
  /** Shares arXiv's gate with the RSS source: the 3 s spacing is across both. */
  http: HttpClient;
  pageSize?: number;
}

/** The arXiv query API: listings by category and submission day, and lookup of given ids. */
export interface ArxivApi extends PaperSource {
  /** Fetches the given ids (with or without version); ids arXiv does not know are simply absent. */
  lookup(ids: string[]): Promise<FetchedPapers>;
}

/** arXiv caps a page at 2000; smaller pages keep each slow answer short. */
const DEFAULT_PAGE_SIZE = 500;
const IDS_PER_LOOKUP = 100;

export function createArxivApiSource(options: ArxivApiOptions): ArxivApi {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;

  async function query(params: Record<string, string>): Promise<FetchedPapers> {
    const papers: PaperInput[] = [];
    const skipped: SkippedItem[] = [];
    for (let start = 0; ; start += pageSize) {
      const { body } = await options.http.getText(options.url, { ...params, start, max_results: pageSize });
      const page = parseArxivAtom(body);
      const total = page.total ?? 0;
      // The API now and then answers an empty page in the middle of a result; taking it for the end
      // would remember a day as done with papers missing.
      if (page.entries === 0 && start < total) {
        throw new SourceFormatError(`arXiv answered an empty page at ${start} of ${total}; try again later`);
      }
      papers.push(...page.papers);
      skipped.push(...page.skipped);
      if (page.entries < pageSize || start + pageSize >= total) break;
    }
    return { papers, skipped };
  }

  return {
    name: 'arxiv',
    // A day's submissions are announced over the next working days, and replacements keep coming.
    settleDays: 4,
    plan: (request) => planCategoryDays(request),
    fetch: (unit) => {
      const { category, day } = unit.params;
      const compact = (day ?? '').replaceAll('-', '');
      return query({
        search_query: `cat:${category} AND submittedDate:[${compact}0000 TO ${compact}2359]`,
        sortBy: 'submittedDate',
        sortOrder: 'descending',
      });
    },
    async lookup(ids) {
      const papers: PaperInput[] = [];
      const skipped: SkippedItem[] = [];
      for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
        const batch = ids.slice(i, i + IDS_PER_LOOKUP);
        const { body } = await options.http.getText(options.url, {
          id_list: batch.join(','),
          max_results: batch.length,
        });
        const page = parseArxivAtom(body);
        papers.push(...page.papers);
        skipped.push(...page.skipped);
      }
      return { papers, skipped };
    },
  };
}

function planCategoryDays(request: IngestRequest): IngestUnit[] {
  return request.categories.flatMap((category) =>
    eachDay(request.from, request.to).map((day) => ({
      key: `arxiv:${category}:${day}`,
      label: `arXiv ${category} ${day}`,
      lastDay: day,
      params: { category, day },
    })),
  );
}
