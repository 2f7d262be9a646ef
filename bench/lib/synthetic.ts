import { BinaryCopyWriter, copyBinary } from '../../db/binary-copy.js';
import type { Db } from '../../db/client.js';
import { paperWords, searchVector, titleVector } from '../../src/search/lexemes.js';
import type { SeedPaper } from './seed.js';

const FIRST = [
  'Wei',
  'Anna',
  'Luis',
  'Priya',
  'Kenji',
  'Fatima',
  'Olga',
  'Tom',
  'Chen',
  'Amara',
  'Jonas',
  'Sofia',
];
const LAST = [
  'Zhang',
  'Smith',
  'García',
  'Patel',
  'Tanaka',
  'Hassan',
  'Ivanova',
  'Müller',
  'Li',
  'Okafor',
  'Berg',
  'Rossi',
];
const CATEGORIES = ['cs.CL', 'cs.LG', 'cs.CV', 'cs.AI', 'stat.ML', 'cs.IR'];
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 26);

/** A small deterministic PRNG (mulberry32), so every run generates the same library. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface GeneratedPaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  published_at: string;
  hf_upvotes: number;
}

/**
 * Papers whose titles and abstracts are drawn from the corpus' own words in their natural frequencies
 * (a unigram bag): most contain the common query words, so ranking must tell the real papers from
 * look-alikes.
 */
export function* generatePapers(
  seed: SeedPaper[],
  count: number,
  random = prng(42),
): Generator<GeneratedPaper> {
  const words = (texts: string[]) => texts.flatMap((t) => t.split(/\s+/)).filter(Boolean);
  const titles = words(seed.map((p) => p.title));
  const abstracts = words(seed.map((p) => p.abstract));
  const pick = <T>(bag: T[]): T => bag[Math.floor(random() * bag.length)] as T;
  const draw = (bag: string[], n: number) => Array.from({ length: n }, () => pick(bag)).join(' ');
  for (let i = 1; i <= count; i++) {
    yield {
      id: `gen-${i}`,
      title: draw(titles, 5 + Math.floor(random() * 8)),
      abstract: draw(abstracts, 80 + Math.floor(random() * 100)),
      authors: Array.from({ length: 1 + Math.floor(random() * 4) }, () => `${pick(FIRST)} ${pick(LAST)}`),
      categories: [pick(CATEGORIES)],
      published_at: new Date(END - Math.floor(random() * 1500) * DAY).toISOString(),
      hf_upvotes: Math.floor(random() ** 6 * 400),
    };
  }
}

/** Inserts generated papers in batches, each one INSERT … SELECT over a JSON array. */
export async function insertGenerated(
  db: Db,
  papers: Iterable<GeneratedPaper>,
  onProgress?: (done: number) => void,
): Promise<number> {
  let batch: GeneratedPaper[] = [];
  let done = 0;
  const flush = async () => {
    const rows = new BinaryCopyWriter(9);
    for (const p of batch) {
      const words = paperWords({ ...p, keywords: [] });
      rows
        .row()
        .text(p.id)
        .text(p.title)
        .text(p.abstract)
        .jsonbStrings(p.authors)
        .jsonbStrings(p.categories)
        .timestamptz(new Date(p.published_at))
        .int4(p.hf_upvotes)
        .tsvector(searchVector(words))
        .tsvector(titleVector(words));
    }
    await copyBinary(
      db,
      'papers (id, title, abstract, authors, categories, published_at, hf_upvotes, search_vector, title_vector)',
      rows.finish(),
    );
    done += batch.length;
    batch = [];
    onProgress?.(done);
  };
  for (const paper of papers) {
    batch.push(paper);
    if (batch.length === 5000) await flush();
  }
  if (batch.length > 0) await flush();
  return done;
}
