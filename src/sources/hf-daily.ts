import { z } from 'zod';
import { eachDay, isoWeek, monthOf } from '../domain/days.js';
import { describeZodError } from '../domain/errors.js';
import type { PaperInput } from '../domain/paper-input.js';
import type { FetchedPapers, IngestRequest, IngestUnit, PaperSource, SkippedItem } from '../domain/ports.js';
import { hfDailyItemSchema, hfItemToPaper } from './hf-schema.js';
import { type HttpClient, SourceFormatError, withRequests } from './http-client.js';

const periodSchema = z.object({ kind: z.enum(['date', 'week', 'month']), value: z.string().min(1) });

/** A span of Hugging Face Daily Papers: `date=2026-01-05`, `week=2026-W02` or `month=2026-01`. */
export type HfPeriod = z.infer<typeof periodSchema>;

export interface HfDailyOptions {
  /** Hugging Face API root, e.g. https://huggingface.co/api */
  baseUrl: string;
  http: HttpClient;
  pageSize?: number;
}

const pageSchema = z.array(z.unknown(), { error: 'the daily_papers answer is not a JSON array' });

/** A safety stop: no real day, week or month has this many pages. */
const MAX_PAGES = 200;

/** Hugging Face Daily Papers: the trending signal, with upvotes, comments, AI summary and code links. */
export function createHfDailySource(options: HfDailyOptions): PaperSource & {
  fetchPeriod(period: HfPeriod): Promise<FetchedPapers>;
} {
  const pageSize = options.pageSize ?? 50;
  const url = `${options.baseUrl.replace(/\/$/, '')}/daily_papers`;

  async function fetchPeriod(period: HfPeriod): Promise<FetchedPapers> {
    const papers: PaperInput[] = [];
    const skipped: SkippedItem[] = [];
    let requests = 0;
    try {
      for (let page = 0; page < MAX_PAGES; page += 1) {
        requests += 1;
        const body = await options.http.getJson(url, {
          [period.kind]: period.value,
          p: page,
          limit: pageSize,
        });
        const items = pageSchema.safeParse(body);
        if (!items.success) throw new SourceFormatError(`${url}: ${describeZodError(items.error)}`);
        items.data.forEach((raw, index) => {
          const where = `${period.value} page ${page + 1} item ${index + 1}`;
          const item = hfDailyItemSchema.safeParse(raw);
          const paper = item.success ? hfItemToPaper(item.data) : null;
          if (paper) papers.push(paper);
          else skipped.push({ where, reason: item.success ? 'no title' : describeZodError(item.error) });
        });
        if (items.data.length < pageSize) break;
      }
    } catch (err) {
      throw withRequests(err, requests);
    }
    return { papers, skipped, requests };
  }

  return {
    name: 'hf',
    // Upvotes and comments keep growing for a few days after a paper is featured.
    settleDays: 3,
    plan: (request) => planPeriods(request),
    fetch: (unit) => fetchPeriod(periodSchema.parse(unit.params)),
    fetchPeriod,
  };
}

function planPeriods(request: IngestRequest): IngestUnit[] {
  const units = new Map<string, IngestUnit>();
  for (const day of eachDay(request.from, request.to)) {
    const unit =
      request.period === 'week'
        ? periodUnit('week', isoWeek(day).week, isoWeek(day).lastDay)
        : request.period === 'month'
          ? periodUnit('month', monthOf(day).month, monthOf(day).lastDay)
          : periodUnit('date', day, day);
    units.set(unit.key, unit);
  }
  return [...units.values()];
}

function periodUnit(kind: HfPeriod['kind'], value: string, lastDay: string): IngestUnit {
  return { key: `hf:${kind}:${value}`, label: `Hugging Face ${value}`, lastDay, params: { kind, value } };
}
