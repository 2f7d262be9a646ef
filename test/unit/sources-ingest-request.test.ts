import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { type IngestOptions, planIngest } from '../../src/ingest/ingest-request.js';

const context = { today: '2026-06-20', categories: ['cs.LG', 'cs.CL'] };
const plan = (options: IngestOptions) => planIngest(options, context);

describe('papers ingest options', () => {
  it('plans a Hugging Face backfill by day, week or month', () => {
    expect(plan({ source: 'hf', from: '2026-01-01', to: '2026-03-31' })).toEqual({
      kind: 'source',
      source: 'hf',
      request: { from: '2026-01-01', to: '2026-03-31', categories: ['cs.LG', 'cs.CL'], period: 'day' },
    });
    expect(plan({ source: 'hf', from: '2026-01-01', to: '2026-03-31', by: 'month' })).toMatchObject({
      request: { period: 'month' },
    });
  });

  it('takes categories joined with + and defaults to today and the configured categories', () => {
    expect(plan({ source: 'rss', category: 'cs.LG+cs.CL+stat.ML' })).toMatchObject({
      request: { from: '2026-06-20', to: '2026-06-20', categories: ['cs.LG', 'cs.CL', 'stat.ML'] },
    });
    expect(plan({ source: 'arxiv' })).toMatchObject({
      request: { from: '2026-06-18', to: '2026-06-20', categories: ['cs.LG', 'cs.CL'] },
    });
  });

  it('reads every paper named by --link', () => {
    expect(plan({ link: ['https://arxiv.org/abs/2401.12345v2', 'hep-th/9901001'] })).toEqual({
      kind: 'links',
      ids: [
        { id: '2401.12345', version: 2 },
        { id: 'hep-th/9901001', version: null },
      ],
      notPapers: [],
    });
  });

  it('keeps the papers of a batch of links and lists the links that name none', () => {
    expect(plan({ link: ['https://example.com/blog/1234', '2401.12345', 'nonsense'] })).toEqual({
      kind: 'links',
      ids: [{ id: '2401.12345', version: null }],
      notPapers: ['https://example.com/blog/1234', 'nonsense'],
    });
  });

  it.each([
    [{}, 'say what to ingest: --file <path>, --source hf|arxiv|rss, or --link <url>'],
    [{ source: 'semantic' }, 'unknown source "semantic": use hf, arxiv or rss'],
    [
      { source: 'arxiv', category: 'cs.XY' },
      'unknown arXiv category "cs.XY": use one such as cs.CL, cs.LG or stat.ML',
    ],
    [{ source: 'arxiv', category: 'CS.lg' }, 'unknown arXiv category "CS.lg": did you mean cs.LG?'],
    [
      { source: 'hf', from: '2026-01-01' },
      '--from needs --to as well, e.g. --from 2026-01-01 --to 2026-06-20',
    ],
    [{ source: 'hf', to: '2026-01-01' }, '--to needs --from as well, e.g. --from 2026-01-01 --to 2026-01-01'],
    [
      { source: 'hf', from: '2026-03-31', to: '2026-01-01' },
      'the date range is backwards: --from 2026-03-31 is after --to 2026-01-01',
    ],
    [
      { source: 'hf', from: '2026-06-01', to: '2026-07-01' },
      '--to 2026-07-01 is in the future (today is 2026-06-20 UTC)',
    ],
    [
      { source: 'hf', from: '2026-02-30', to: '2026-03-01' },
      '--from 2026-02-30 is not a date: write YYYY-MM-DD',
    ],
    [{ source: 'hf', from: '1/1/2026', to: '2026-03-01' }, '--from 1/1/2026 is not a date: write YYYY-MM-DD'],
    [{ source: 'hf', by: 'year' }, '--by year is not day, week or month'],
    [
      { source: 'hf', category: 'cs.CL' },
      'Hugging Face Daily Papers has no categories: drop --category, or use --source arxiv',
    ],
    [{ source: 'arxiv', by: 'week' }, '--by goes with --source hf'],
    [
      { source: 'rss', from: '2026-06-01', to: '2026-06-02' },
      "the arXiv RSS feed only has today's listing: drop --from/--to, or use --source arxiv",
    ],
    [{ file: 'a.jsonl', source: 'hf' }, 'use one of --file, --source at a time'],
    [{ file: 'a.jsonl', from: '2026-01-01' }, '--category, --from, --to and --by go with --source'],
    [
      { link: ['https://example.com/blog/1234'] },
      '"https://example.com/blog/1234" is not a paper: give an arXiv id such as 2401.12345 or a link to arxiv.org, huggingface.co/papers, alphaxiv.org or doi.org/10.48550',
    ],
  ] as [IngestOptions, string][])('refuses %j with a clear message', (options, message) => {
    expect(() => plan(options)).toThrow(UserError);
    expect(() => plan(options)).toThrow(message);
  });
});
