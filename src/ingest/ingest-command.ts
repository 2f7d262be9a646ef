import type { Db } from '../../db/client.js';
import { dayOf } from '../domain/days.js';
import type { Sources } from '../sources/sources.js';
import { ingestFile } from './ingest-file.js';
import type { IngestPlan } from './ingest-request.js';
import { createProgress, formatSummary } from './progress.js';
import { resolvePapers } from './resolve-papers.js';
import { ingestUnitsOf } from './run-units.js';

export interface CommandIo {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  now?: () => Date;
  /** Upsert statements in flight for a file: more than 1 only on a Postgres server's pool. */
  fileConcurrency?: number;
}

/** Runs a validated `papers ingest`; returns the exit code (1 when a part failed, the rest is kept). */
export async function runIngestPlan(
  db: Db,
  plan: IngestPlan,
  sources: Sources,
  io: CommandIo,
): Promise<number> {
  const print = (line: string) => io.out.write(`${line}\n`);
  if (plan.kind === 'file') {
    const { counts, skipped } = await ingestFile(db, plan.path, { concurrency: io.fileConcurrency ?? 1 });
    for (const s of skipped) io.err.write(`skipped ${s.where}: ${s.reason}\n`);
    print(
      `Ingested ${plan.path}: ${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${skipped.length} skipped.`,
    );
    return 0;
  }
  if (plan.kind === 'links') {
    for (const link of plan.notPapers) io.err.write(`skipped "${link}": not a paper\n`);
    const { papers, notFound, unreachable, arxivError } = await resolvePapers(db, plan.ids, sources.arxiv);
    for (const paper of papers) print(`${paper.id}  ${paper.title}`);
    for (const id of notFound) io.err.write(`arXiv has no paper ${id}\n`);
    if (unreachable.length > 0) {
      io.err.write(
        `arXiv could not be reached (${arxivError}): ${unreachable.join(', ')} not added; run the same command again later\n`,
      );
    }
    return notFound.length + unreachable.length + plan.notPapers.length > 0 ? 1 : 0;
  }
  const source = sources[plan.source];
  const units = source.plan(plan.request);
  const progress = createProgress(io.err, units.length);
  const summary = await ingestUnitsOf(db, source, units, {
    today: dayOf((io.now ?? (() => new Date()))()),
    onUnit: progress.onUnit,
  }).finally(() => progress.stop());
  for (const line of formatSummary(summary)) print(line);
  return summary.failed.length > 0 ? 1 : 0;
}
