import type { Db } from '../../db/client.js';
import { readPapersFile, type SkippedItem } from '../sources/file.js';
import { type UpsertCounts, type UpsertOptions, upsertPapers } from './store.js';

export interface IngestReport {
  counts: UpsertCounts;
  skipped: SkippedItem[];
}

/** Reads a papers file and merges its good entries into the database; bad ones are reported, not fatal. */
export async function ingestFile(db: Db, path: string, options: UpsertOptions = {}): Promise<IngestReport> {
  const { papers, skipped } = await readPapersFile(path);
  const counts = await upsertPapers(db, papers, options);
  return { counts, skipped };
}
