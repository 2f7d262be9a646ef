import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalisePaper, type PaperInput } from '../../src/domain/paper-input.js';
import { parseArxivAtom } from '../../src/sources/arxiv-atom.js';
import { parseArxivRss } from '../../src/sources/arxiv-rss.js';
import { hfDailyItemSchema, hfItemToPaper } from '../../src/sources/hf-schema.js';
import { FIXTURES_DIR, readSeed } from './seed.js';

/**
 * The judged set's corpus: the 97 seed papers (title and abstract) and the papers of the recorded
 * Hugging Face and arXiv responses (with authors, categories and dates), read by the bot's own parsers.
 */
export function judgedCorpus(): PaperInput[] {
  const fixture = (name: string) => readFileSync(join(FIXTURES_DIR, name), 'utf8');
  const hf = (JSON.parse(fixture('hf_daily_papers_sample.json')) as unknown[]).flatMap(
    (item) => hfItemToPaper(hfDailyItemSchema.parse(item)) ?? [],
  );
  return [
    ...readSeed().map((p) => normalisePaper({ ...p, source: 'bench' })),
    ...hf,
    ...parseArxivAtom(fixture('arxiv_query_sample.xml')).papers,
    ...parseArxivRss(fixture('arxiv_rss_sample.xml')).items.map((i) => i.paper),
  ];
}
