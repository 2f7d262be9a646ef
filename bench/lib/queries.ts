import type { SeedPaper } from './seed.js';
import { prng } from './synthetic.js';

const STOP = new Set([
  'a',
  'an',
  'the',
  'of',
  'for',
  'and',
  'in',
  'on',
  'with',
  'to',
  'via',
  'by',
  'at',
  'from',
]);

/** A typo: a letter dropped, doubled or swapped with its neighbour. */
function typo(word: string, random: () => number): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(random() * (word.length - 2));
  const kind = Math.floor(random() * 3);
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + word[i] + word.slice(i);
  return word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2);
}

/**
 * A deterministic mix of queries a team would type, built from the corpus' titles: words, phrases,
 * typos, prefixes, filters, exclusions, questions, pasted stretches of abstracts and a few odd ones.
 */
export function mixedQueries(seed: SeedPaper[], count: number): string[] {
  const random = prng(7);
  const titleWords = seed.map((p) =>
    p.title
      .toLowerCase()
      .split(/[^\p{L}\p{N}-]+/u)
      .filter((w) => w && !STOP.has(w)),
  );
  const abstractWords = seed.map((p) => p.abstract.split(/\s+/).filter(Boolean));
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  const run = (n: number) => {
    const words = pick(titleWords);
    const start = Math.floor(random() * Math.max(1, words.length - n));
    return words.slice(start, start + n);
  };
  const makers: (() => string)[] = [
    () => run(2 + Math.floor(random() * 3)).join(' '),
    () => run(3).join(' '),
    () => `"${run(2).join(' ')}"`,
    () =>
      run(2)
        .map((w) => typo(w, random))
        .join(' '),
    () => {
      const words = run(2);
      const last = words.pop() ?? '';
      return [...words, last.slice(0, Math.max(3, Math.ceil(last.length / 2)))].join(' ');
    },
    () => `${run(2).join(' ')} cat:${pick(['cs.CL', 'cs.LG', 'cs.CV'])}`,
    () => `${run(2).join(' ')} since:${pick(['30d', '2025-06', '1y'])}`,
    () => `${run(1).join(' ')} author:${pick(['zhang', 'patel', 'muller', 'tanaka'])}`,
    () =>
      `${run(2).join(' ')} -${pick(['survey', 'benchmark', 'diffusion'])} sort:${pick(['date', 'votes'])}`,
    // A question, as people ask it, around words of a title.
    () =>
      `${pick(['which paper shows how to', 'is there work on', 'papers about', 'how do I'])} ${run(3).join(' ')}?`,
    // A pasted stretch of an abstract.
    () => {
      const words = pick(abstractWords);
      const start = Math.floor(random() * Math.max(1, words.length - 40));
      return words.slice(start, start + 30 + Math.floor(random() * 20)).join(' ');
    },
    () =>
      pick([
        'language models',
        'reasoning',
        'diffusion model',
        'the of and',
        'cat:cs.CL since:7d',
        '注意力 model',
      ]),
  ];
  return Array.from({ length: count }, (_, i) => (makers[i % makers.length] as () => string)());
}
