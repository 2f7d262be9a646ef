import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
  }
}

/** Migrates one PGlite once and dumps it, so each test's database starts in ~0.6 s instead of ~5 s. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'papers-test-'));
  const target = { kind: 'pglite', dataDir: undefined } as const;
  const database = await openDatabase(target);
  await migrate(database, target);
  const client = (database.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  await database.close();
  const path = join(dir, 'migrated.tar');
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDump', path);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
