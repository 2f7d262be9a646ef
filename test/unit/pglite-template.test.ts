import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.js';
import { MIGRATIONS_FOLDER, migrate, pendingMigrations } from '../../db/migrate.js';
import { BUNDLED_TEMPLATE, extractTar, type PgliteTemplate, readTemplate } from '../../db/pglite-template.js';
import { countPapers } from '../../db/repositories/papers.js';

/** A ustar header and content for one file, as a tar holds it. */
function tarEntry(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000600\0', 100);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('0', 156);
  header.write('ustar\0', 257);
  const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  body.write(content);
  return Buffer.concat([header, body]);
}

describe('a new PGlite database starts from the template kept with the migrations', {
  timeout: 120_000,
}, () => {
  let dir: string;
  const open: Database[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-template-'));
  });
  afterAll(async () => {
    for (const database of open) await database.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it('matches the committed migrations and this PGlite (else run `npm run db:template`)', async () => {
    expect(await readTemplate(BUNDLED_TEMPLATE)).toBeDefined();
  });

  it('gives a new data folder every migration at once, and says it is the first start only once', async () => {
    const dataDir = join(dir, 'fresh');
    let created = 0;
    const database = await openDatabase({ kind: 'pglite', dataDir }, { onCreate: () => created++ });
    open.push(database);
    expect(await pendingMigrations(database)).toBe(0);
    expect(await countPapers(database.db)).toBe(0);
    expect(created).toBe(1);
    await database.close();

    const again = await openDatabase({ kind: 'pglite', dataDir }, { onCreate: () => created++ });
    open.push(again);
    expect(await pendingMigrations(again)).toBe(0);
    expect(created).toBe(1);
    await again.close();
  });

  it('starts again a copy that a first start killed midway left behind', async () => {
    const dataDir = join(dir, 'cut-short');
    await mkdir(join(dataDir, 'base', '1'), { recursive: true });
    await writeFile(join(dataDir, 'papers.copying-template'), '');
    await writeFile(join(dataDir, 'base', '1', '1259'), 'half a page');
    const database = await openDatabase({ kind: 'pglite', dataDir });
    open.push(database);
    expect(await pendingMigrations(database)).toBe(0);
    expect(await countPapers(database.db)).toBe(0);
    await database.close();
    expect(await readdir(dataDir)).not.toContain('papers.copying-template');
  });

  it('gives a database in memory every migration at once', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: undefined });
    open.push(database);
    expect(await pendingMigrations(database)).toBe(0);
    await database.close();
  });

  it('is not used once the migrations have changed: the database is made and migrated as without it', async () => {
    const stale: PgliteTemplate = { archive: join(dir, 'stale.tar.br'), manifest: join(dir, 'stale.json') };
    await copyFile(BUNDLED_TEMPLATE.archive, stale.archive);
    const manifest = JSON.parse(await readFile(BUNDLED_TEMPLATE.manifest, 'utf8'));
    await writeFile(stale.manifest, JSON.stringify({ ...manifest, key: 'made-for-other-migrations' }));
    expect(await readTemplate(stale)).toBeUndefined();

    const dataDir = join(dir, 'without-template');
    const target = { kind: 'pglite', dataDir } as const;
    const database = await openDatabase(target, { template: stale });
    open.push(database);
    const journal = await readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8');
    const all = (JSON.parse(journal) as { entries: unknown[] }).entries.length;
    expect(await pendingMigrations(database)).toBe(all);
    await migrate(database, target);
    expect(await pendingMigrations(database)).toBe(0);
    expect(await countPapers(database.db)).toBe(0);
    await database.close();
  });

  it('refuses a tar whose paths leave the data folder', async () => {
    const target = join(dir, 'unpacked');
    const tar = Buffer.concat([tarEntry('../escaped', 'x'), Buffer.alloc(1024)]);
    expect(() => extractTar(tar, target)).toThrow('outside the data folder');
    expect(await readdir(dir)).not.toContain('escaped');
  });
});
