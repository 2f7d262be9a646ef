import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Judgment } from './metrics.js';

/** The shared corpus and judgments, relative to the repository root unless overridden. */
export const SEED_FILE = resolve(process.env.SEED_PAPERS ?? '../shared/data/seed-papers.jsonl');
export const DEV_FILE = resolve(process.env.SEARCH_DEV ?? '../shared/bench/search-dev.json');

export interface SeedPaper {
  title: string;
  abstract: string;
}

export function readSeed(path = SEED_FILE): SeedPaper[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as SeedPaper);
}

export function readJudgments(path = DEV_FILE): Judgment[] {
  return JSON.parse(readFileSync(path, 'utf8')) as Judgment[];
}

/** The judged set built for this repository: seed papers plus the recorded fixtures, split once. */
export const JUDGED_FILE = resolve(process.env.SEARCH_JUDGED ?? 'bench/search-judged.json');
export const FIXTURES_DIR = resolve(process.env.FIXTURES ?? '../shared/fixtures');

export interface SplitJudgment extends Judgment {
  kind: string;
  split: 'tune' | 'held-out';
}

export function readSplitJudgments(path = JUDGED_FILE): SplitJudgment[] {
  return JSON.parse(readFileSync(path, 'utf8')) as SplitJudgment[];
}
