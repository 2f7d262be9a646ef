import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { normalisePaper, type PaperFields } from '../../src/domain/paper-input.js';
import { searchPapers } from '../../src/search/search.js';
import { upsertPapers } from '../../src/search/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-26T10:00:00Z');

const PAPERS: Omit<PaperFields, 'source'>[] = [
  {
    anyId: '2403.09054',
    title: 'Keyformer: KV Cache Reduction through Key Tokens Selection for Efficient Generative Inference',
    abstract:
      'Transformers dominate generative inference, but the KV cache grows with the sequence. Keyformer keeps key tokens and shrinks the KV cache, cutting memory and latency.',
    authors: ['Muhammad Adnan', 'Akhil Arunkumar'],
    categories: ['cs.LG'],
    publishedAt: new Date('2024-03-14'),
  },
  {
    anyId: '2306.14048',
    title: 'H$_2$O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models',
    abstract:
      'Large language models need a large KV cache in GPU memory. We keep heavy hitter tokens, so the KV cache shrinks fivefold with no loss in quality.',
    authors: ['Zhenyu Zhang', 'Ying Sheng'],
    categories: ['cs.LG', 'cs.CL'],
    publishedAt: new Date('2023-06-24'),
    hfUpvotes: 3,
  },
  {
    anyId: '2501.04686',
    title: 'MedS$^3$: Towards Medical Small Language Models with Self-Evolved Slow Thinking',
    abstract: 'A medical small language model that learns slow thinking from its own reasoning traces.',
    authors: ['Shuyang Jiang'],
    categories: ['cs.CL'],
    publishedAt: new Date('2025-01-08'),
  },
  {
    anyId: '2406.04314',
    title: 'One-Step Diffusion Distillation through Score Implicit Matching',
    abstract: 'We distil a pretrained diffusion model into a one-step generator by matching score functions.',
    authors: ['Weijian Luo'],
    categories: ['cs.CV'],
    publishedAt: new Date('2024-10-15'),
  },
  {
    anyId: '2405.14867',
    title: 'Improved Distribution Matching Distillation for Fast Image Synthesis',
    abstract: 'Distribution matching distillation makes fast image synthesis possible in a few steps.',
    authors: ['Tianwei Yin'],
    categories: ['cs.CV'],
    publishedAt: new Date('2024-05-23'),
    hfUpvotes: 900,
  },
  {
    anyId: '2409.00001',
    title: 'A Survey of Image Synthesis Benchmarks',
    abstract: 'We survey benchmarks for image synthesis and how they are scored.',
    authors: ['Ana Müller'],
    categories: ['cs.CV'],
    publishedAt: new Date('2026-11-20'),
  },
];

describe('search over a small library', () => {
  let database: TestDatabase;
  const search = (query: string, pageSize = 10) => searchPapers(database.db, query, { pageSize, now: NOW });
  const titles = async (query: string) => (await search(query)).hits.map((h) => h.paper.title);

  // The library is only read, except by the last test, which adds to it at the end.
  beforeAll(async () => {
    database = await createTestDatabase();
    await upsertPapers(
      database.db,
      PAPERS.map((p) => normalisePaper({ ...p, source: 'test' })),
    );
  });
  afterAll(() => database.destroy());

  it('finds the KV cache papers first for "kv cache compression"', async () => {
    const found = await titles('kv cache compression');
    expect(found.slice(0, 2).sort()).toEqual([PAPERS[1]?.title, PAPERS[0]?.title].sort());
  });

  it('finds TeX titles by their plain spelling', async () => {
    expect((await titles('H2O'))[0]).toBe(PAPERS[1]?.title);
    expect((await titles('MedS3'))[0]).toBe(PAPERS[2]?.title);
  });

  it('forgives typos and says which words it used instead', async () => {
    const result = await search('keyformr');
    expect(result.hits[0]?.paper.title).toBe(PAPERS[0]?.title);
    expect(result.notes.join()).toMatch(/keyformer/);
    expect((await titles('difusion distilation'))[0]).toBe(PAPERS[3]?.title);
    // Two letters swapped share few trigrams with the word; the edit distance still finds it.
    const swapped = await search('oarcle tokens');
    expect(swapped.hits[0]?.paper.title).toBe(PAPERS[1]?.title);
    expect(swapped.notes.join()).toMatch(/oracle/);
  });

  it('matches a word still being typed as a prefix', async () => {
    expect(await titles('synthe')).toContain(PAPERS[4]?.title);
  });

  it('still answers when one word is absent, and names it', async () => {
    const result = await search('zzyzx image synthesis');
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.notes.join()).toMatch(/zzyzx/);
  });

  it('ranks papers with all the words above papers with some', async () => {
    const found = await titles('fast image synthesis');
    expect(found[0]).toBe(PAPERS[4]?.title);
    expect(found).toContain(PAPERS[5]?.title);
  });

  it('answers a natural question through the words it shares with the paper', async () => {
    // No paper has every word: the question's filler and its other words are not required.
    const found = await titles('which paper shows how to shrink the kv cache memory of language models?');
    expect(found.slice(0, 2).sort()).toEqual([PAPERS[1]?.title, PAPERS[0]?.title].sort());
    expect(await titles('is there work on distilling diffusion into one step')).toContain(PAPERS[3]?.title);
  });

  it('answers a query with one stray short word instead of nothing', async () => {
    expect((await titles('kv cache attention diffusion k'))[0]).toMatch(/KV Cache|Heavy-Hitter/);
  });

  it('cuts a pasted abstract to its most telling words, and says so without repeating it', async () => {
    const pasted = `${PAPERS[1]?.abstract} ${'We study this further in many settings and report results. '.repeat(12)}`;
    const result = await search(pasted);
    expect(result.hits[0]?.paper.title).toBe(PAPERS[1]?.title);
    const note = result.notes.join(' ');
    expect(note).toMatch(/long query: I searched for its 12 most telling words/);
    expect(note.length).toBeLessThan(pasted.length / 2);
  });

  it('applies phrases, exclusions, authors, categories and dates', async () => {
    expect(await titles('"image synthesis" -survey')).toEqual([PAPERS[4]?.title]);
    expect(await titles('author:zhang')).toEqual([PAPERS[1]?.title]);
    expect(await titles('author:"ana muller"')).toEqual([PAPERS[5]?.title]);
    expect(await titles('language cat:cs.CL')).toEqual(expect.arrayContaining([PAPERS[2]?.title]));
    expect(await titles('cat:cs.cv since:7d')).toEqual([PAPERS[5]?.title]);
    expect(await titles('distillation before:2024-06')).toEqual([PAPERS[4]?.title]);
    expect(await titles('2306.14048')).toEqual([PAPERS[1]?.title]);
  });

  it('sorts by date on request', async () => {
    const found = await titles('image synthesis sort:date');
    expect(found[0]).toBe(PAPERS[5]?.title);
  });

  it('pages through results', async () => {
    const first = await search('distillation image diffusion', 1);
    const second = await search('distillation image diffusion page:2', 1);
    expect(first.total).toBeGreaterThan(1);
    expect(second.offset).toBe(1);
    expect(second.hits[0]?.paper.id).not.toBe(first.hits[0]?.paper.id);
  });

  it('offers the closest titles when nothing matches', async () => {
    const result = await search('heavy hitter oracel xylophone');
    expect(result.hits.length + result.suggestions.length).toBeGreaterThan(0);
    // The words are there but not as a phrase: the titles with them are offered.
    const reversed = await search('"oracle heavy"');
    expect(reversed.hits).toEqual([]);
    expect(reversed.suggestions[0]).toBe(PAPERS[1]?.title);
    const none = await search('qqqqzzzz');
    expect(none.hits).toEqual([]);
    // Even as the word being typed, a word no library word begins is named.
    expect(none.notes.join()).toMatch(/No paper contains “qqqqzzzz”/);
  });

  it('gives every kind of odd input an answer, never a crash', async () => {
    const odd = [
      'the of and',
      "'; drop table papers; --",
      '🤖🧪 diffusion',
      '注意力机制',
      'نموذج لغوي',
      'modèle de diffusion',
      `${'a'.repeat(1000)} ${'kv cache '.repeat(120)}`,
      '"unbalanced quote',
    ];
    for (const query of odd) {
      const result = await search(query);
      expect(Array.isArray(result.hits)).toBe(true);
    }
    expect((await search('the of and')).notes.join()).toMatch(/too common/);
    await expect(search('!!! ...')).rejects.toBeInstanceOf(UserError);
    expect(await titles('diffusion')).toContain(PAPERS[3]?.title);
  });

  it('learns the words of newly ingested papers for typo correction', async () => {
    await upsertPapers(database.db, [
      normalisePaper({ title: 'Zebrafish Locomotion Atlas', abstract: 'zebrafish swimming', source: 'test' }),
    ]);
    expect((await titles('zebrafsh'))[0]).toBe('Zebrafish Locomotion Atlas');
  });

  it('learns accented and hyphenated words as a query spells them', async () => {
    await upsertPapers(database.db, [
      normalisePaper({
        title: 'Self-Distilled Schrödinger Bridges',
        abstract: 'A bridge between marginals.',
        source: 'test',
      }),
    ]);
    expect((await titles('schrodingr'))[0]).toBe('Self-Distilled Schrödinger Bridges');
    expect((await titles('self distiled bridges'))[0]).toBe('Self-Distilled Schrödinger Bridges');
  });
});

describe('phrases in a library where many papers have the words apart', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const apart = Array.from({ length: 120 }, (_, i) =>
      normalisePaper({
        anyId: `2401.${String(10000 + i)}`,
        title: `Sparse methods ${i}`,
        abstract: 'Attention is all we study here, and the result is sparse in places.',
        source: 'test',
      }),
    );
    const together = normalisePaper({
      anyId: '2402.00001',
      title: 'Long Context Models',
      abstract: 'We make sparse attention fast for long inputs.',
      source: 'test',
    });
    await upsertPapers(database.db, [...apart, together]);
  });
  afterAll(() => database.destroy());

  it('finds the paper with the phrase however many have its words apart', async () => {
    const result = await searchPapers(database.db, '"sparse attention"', { pageSize: 5, now: NOW });
    expect(result.hits.map((h) => h.paper.title)).toEqual(['Long Context Models']);
  });
});

describe('filters in a library where a common category is rare among the words’ matches', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const paper = (id: string, title: string, abstract: string, category: string, date: string) =>
      normalisePaper({
        anyId: id,
        title,
        abstract,
        categories: [category],
        publishedAt: new Date(date),
        source: 'test',
      });
    const attention = Array.from({ length: 1200 }, (_, i) =>
      paper(`2401.${10000 + i}`, `Attention methods ${i}`, 'We study attention.', 'cs.LG', '2024-01-10'),
    );
    const images = Array.from({ length: 150 }, (_, i) =>
      paper(`2402.${10000 + i}`, `Image synthesis ${i}`, 'We synthesise images.', 'cs.CV', '2024-02-10'),
    );
    const wanted = paper(
      '2611.09999',
      'Attention for image synthesis',
      'Attention in images.',
      'cs.CV',
      '2026-11-20',
    );
    await upsertPapers(database.db, [...attention, ...images, wanted]);
    // Statistics, as autovacuum keeps them on a server: they tell a broad filter from a narrow one.
    await database.db.execute(sql`analyze papers`);
  });
  afterAll(() => database.destroy());

  it('finds the one paper with the words in a category many other papers are in', async () => {
    const result = await searchPapers(database.db, 'attention cat:cs.CV', { pageSize: 5, now: NOW });
    expect(result.hits.map((h) => h.paper.title)).toEqual(['Attention for image synthesis']);
  });

  it('finds the one paper with the words in a narrow date range', async () => {
    const result = await searchPapers(database.db, 'attention since:30d', { pageSize: 5, now: NOW });
    expect(result.hits.map((h) => h.paper.title)).toEqual(['Attention for image synthesis']);
  });
});

describe('acronyms the papers define', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await upsertPapers(database.db, [
      normalisePaper({
        anyId: '2312.10997',
        title: 'A Survey of Grounded Question Answering',
        abstract: 'Retrieval-Augmented Generation (RAG) grounds the answers of large language models (LLMs).',
        source: 'test',
      }),
      normalisePaper({
        anyId: '2405.07437',
        title: 'Evaluation of Retrieval-Augmented Generation: A Survey',
        abstract: 'We review how Retrieval-Augmented Generation (RAG) systems are evaluated.',
        source: 'test',
      }),
      normalisePaper({
        anyId: '2403.01234',
        title: 'SuRe: Summarizing Retrievals using Answer Candidates',
        abstract: 'Summarizing Retrievals (SuRe) helps large language models (LLMs) answer questions.',
        source: 'test',
      }),
      normalisePaper({
        anyId: '2404.06666',
        title: 'Prompting LLMs to Read Tables',
        abstract: 'We prompt LLMs to read tables.',
        source: 'test',
      }),
      normalisePaper({
        anyId: '2404.07777',
        title: 'One LLM Grades Another',
        abstract: 'A single LLM grades essays.',
        source: 'test',
      }),
      normalisePaper({
        anyId: '2404.05555',
        title: 'When Large Language Models Answer Trivia',
        abstract: 'Large language models answer trivia questions from memory.',
        source: 'test',
      }),
      normalisePaper({
        anyId: '2401.15884',
        title: 'Corrective Retrieval Augmented Generation',
        abstract: 'A lightweight evaluator decides when retrieved documents help generation.',
        source: 'test',
      }),
      normalisePaper({
        anyId: '2402.00002',
        title: 'Rag Doll Physics for Character Animation',
        abstract: 'Simulated limbs fall as a rag doll does.',
        source: 'test',
      }),
    ]);
  });
  afterAll(() => database.destroy());

  it('find the papers that spell an acronym out, and say what was matched', async () => {
    const result = await searchPapers(database.db, 'rag', { pageSize: 5, now: NOW });
    const titles = result.hits.map((h) => h.paper.title);
    expect(titles).toContain('Corrective Retrieval Augmented Generation');
    expect(titles).toContain('A Survey of Grounded Question Answering');
    expect(result.notes).toContain('Also matching retrieval augmented generation for “rag”.');
  });

  it('read a plural short form as its acronym', async () => {
    const result = await searchPapers(database.db, 'llms', { pageSize: 10, now: NOW });
    expect(result.hits.map((h) => h.paper.title)).toEqual(
      expect.arrayContaining([
        'A Survey of Grounded Question Answering',
        'SuRe: Summarizing Retrievals using Answer Candidates',
        'When Large Language Models Answer Trivia',
      ]),
    );
    expect(result.notes).toContain('Also matching large language models for “llms”.');
  });

  it('match a quoted phrase as typed, not its acronyms’ long forms', async () => {
    const result = await searchPapers(database.db, '"llms answer"', { pageSize: 5, now: NOW });
    expect(result.hits.map((h) => h.paper.title)).toEqual([
      'SuRe: Summarizing Retrievals using Answer Candidates',
    ]);
  });

  it('match the acronym written in the plural for the singular, and the other way round', async () => {
    const titles = async (query: string) =>
      (await searchPapers(database.db, query, { pageSize: 10, now: NOW })).hits.map((h) => h.paper.title);
    expect(await titles('llm')).toContain('Prompting LLMs to Read Tables');
    expect(await titles('llms')).toContain('One LLM Grades Another');
  });

  it('leave a word alone that only one paper defines as its method’s name', async () => {
    const result = await searchPapers(database.db, 'sure', { pageSize: 5, now: NOW });
    expect(result.hits.map((h) => h.paper.title)).toEqual([
      'SuRe: Summarizing Retrievals using Answer Candidates',
    ]);
    expect(result.notes.join(' ')).not.toContain('Also matching');
  });
});
