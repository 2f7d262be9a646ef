/**
 * A new PGlite database starts as a copy of a prepared one: the data folder PGlite's initdb makes, with every
 * migration applied, kept beside the sample papers as a tar file. Copying it takes well under a second where
 * initdb and the migrations take several. It is used only while it matches: its manifest names the PGlite
 * version and the migrations it was made with, and a new database that finds them different is made the
 * long way (`npm run db:template` makes the template again).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER } from './migrations-folder.js';

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

/** Where a template is kept: the data folder as a Brotli-compressed tar, and what it was made with. */
export interface PgliteTemplate {
  archive: string;
  manifest: string;
}

/** The template that comes with the bot. */
export const BUNDLED_TEMPLATE: PgliteTemplate = {
  archive: fileURLToPath(new URL('./seed/pglite-template.tar.br', import.meta.url)),
  manifest: fileURLToPath(new URL('./seed/pglite-template.json', import.meta.url)),
};

interface Manifest {
  /** The PGlite version and migrations it was made with, hashed: see `templateKey`. */
  key: string;
  pglite: string;
  migrations: number;
  lastMigration: string;
}

/**
 * What a template must have been made with to be used: the PGlite version (its Postgres and extensions)
 * and each migration, by its timestamp and the hash of its SQL as the migrator records them.
 */
export async function templateKey(migrationsFolder = MIGRATIONS_FOLDER): Promise<string> {
  const migrations = readMigrationFiles({ migrationsFolder }).map((m) => [m.folderMillis, m.hash]);
  return createHash('sha256')
    .update(JSON.stringify({ pglite: await pgliteVersion(), migrations }))
    .digest('hex');
}

/** The data folder as a tar file, if the template is there and matches this PGlite and these migrations. */
export async function readTemplate(
  template: PgliteTemplate,
  migrationsFolder = MIGRATIONS_FOLDER,
): Promise<Buffer | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(template.manifest, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.key !== (await templateKey(migrationsFolder))) return undefined;
  try {
    return await decompress(await readFile(template.archive));
  } catch {
    return undefined;
  }
}

/** Keeps a migrated data folder (a tar from `dumpDataDir`) as the template for these migrations. */
export async function writeTemplate(
  template: PgliteTemplate,
  tar: Uint8Array,
  migrationsFolder = MIGRATIONS_FOLDER,
): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const journal = JSON.parse(await readFile(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const archive = await compress(tar, {
    params: {
      // A window as large as Brotli has: the three databases of a data folder share most of their pages.
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_QUALITY]: 9,
      [constants.BROTLI_PARAM_SIZE_HINT]: tar.byteLength,
    },
  });
  const manifest: Manifest = {
    key: await templateKey(migrationsFolder),
    pglite: await pgliteVersion(),
    migrations: migrations.length,
    lastMigration: journal.entries.at(-1)?.tag ?? '',
  };
  mkdirSync(dirname(template.archive), { recursive: true });
  await writeFile(template.archive, archive);
  await writeFile(template.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Writes the files of a tar (as `dumpDataDir` makes it: folders and regular files) into `dir`. Anything
 * else in it, or a path that would leave `dir`, stops it with an error. PG_VERSION is written last: a data
 * folder that has it is complete.
 */
export function extractTar(tar: Uint8Array, dir: string): void {
  const root = resolve(dir);
  const bytes = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  const versionFile = join(root, 'PG_VERSION');
  let version: { data: Buffer; mode: number } | undefined;
  let offset = 0;
  while (offset + 512 <= bytes.length) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 500);
    const size = Number.parseInt(field(header, 124, 136).trim() || '0', 8);
    const mode = Number.parseInt(field(header, 100, 108).trim() || '600', 8) & 0o777;
    const type = header[156] === 0 ? '0' : String.fromCharCode(header[156] ?? 0);
    if (!Number.isFinite(size) || size < 0) throw new Error('the template is damaged: a bad size');
    const path = resolve(root, `${prefix ? `${prefix}/` : ''}${name}`.replace(/^\/+/, ''));
    if (path !== root && !path.startsWith(`${root}${sep}`))
      throw new Error(`the template is damaged: ${name} is outside the data folder`);
    offset += 512;
    if (type === '5') mkdirSync(path, { recursive: true, mode: mode | 0o700 });
    else if (type === '0') {
      if (offset + size > bytes.length) throw new Error(`the template is damaged: ${name} is cut short`);
      const data = bytes.subarray(offset, offset + size);
      if (path === versionFile) version = { data, mode };
      else {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, data, { mode: mode | 0o600 });
      }
    } else throw new Error(`the template holds an entry of type ${type} (${name}), which it should not`);
    offset += Math.ceil(size / 512) * 512;
  }
  if (version) writeFileSync(versionFile, version.data, { mode: version.mode | 0o600 });
}

function field(header: Buffer, start: number, end: number): string {
  const bytes = header.subarray(start, end);
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, nul < 0 ? bytes.length : nul).toString('utf8');
}

let version: Promise<string> | undefined;

/** The installed PGlite's version, from its package.json (which its exports do not name). */
function pgliteVersion(): Promise<string> {
  version ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
      } catch {
        // Not here: one folder up.
      }
    }
    return 'unknown';
  })();
  return version;
}
