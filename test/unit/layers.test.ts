import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

/** The import rules' verdict on a tree: each violation's rule and the import that broke it. */
async function violations(cwd: string): Promise<{ rule: string; edge: string }[]> {
  const args = [
    'src',
    'adapters',
    'db',
    '--config',
    join(root, '.dependency-cruiser.cjs'),
    '--output-type',
    'err',
  ];
  try {
    await run(depcruise, args, { cwd });
    return [];
  } catch (err) {
    const stdout = (err as { stdout?: string }).stdout ?? '';
    return [...stdout.matchAll(/error (\S+): (.+)/g)].map((m) => ({ rule: m[1]!, edge: m[2]!.trim() }));
  }
}

describe('import layers', () => {
  it('hold in the repository', async () => {
    expect(await violations(root)).toEqual([]);
  }, 60_000);

  describe('refuse a forbidden import', () => {
    let tree: string;
    const file = async (path: string, text: string) => {
      await mkdir(dirname(join(tree, path)), { recursive: true });
      await writeFile(join(tree, path), text);
    };

    beforeAll(async () => {
      tree = await mkdtemp(join(tmpdir(), 'papers-layers-'));
      await cp(join(root, 'tsconfig.json'), join(tree, 'tsconfig.json'));
      await file('src/domain/types.ts', 'export type Id = string;\n');
      await file(
        'db/schema.ts',
        "import type { Id } from '../src/domain/types.js';\nexport const t: Id = 't';\n",
      );
      await file('src/search/search.ts', "import { t } from '../../db/schema.js';\nexport const s = t;\n");
      await file('src/main.ts', "import { c } from '../adapters/console/index.js';\nexport const m = c;\n");
      await file(
        'adapters/console/index.ts',
        "import type { Id } from '../../src/domain/types.js';\nexport const c: Id = 'c';\n",
      );
    });
    afterAll(async () => {
      await rm(tree, { recursive: true, force: true });
    });

    it('and accept a tree that keeps them', async () => {
      expect(await violations(tree)).toEqual([]);
    }, 60_000);

    it.each([
      [
        'the leaf importing the database',
        'src/domain/ids.ts',
        "export * from '../../db/schema.js';",
        'domain-is-the-leaf',
      ],
      [
        'an adapter importing a use case',
        'adapters/console/x.ts',
        "export * from '../../src/search/search.js';",
        'adapters-see-only-the-domain',
      ],
      [
        'a use case importing an adapter',
        'src/votes/x.ts',
        "export * from '../../adapters/console/index.js';",
        'only-entry-points-wire-adapters',
      ],
      [
        'a lower layer importing a higher one',
        'src/sources/x.ts',
        "export * from '../search/search.js';",
        'layer:src/sources',
      ],
      [
        'SQL outside db/ and the search engine',
        'src/votes/y.ts',
        "export * from '../../db/schema.js';",
        'sql-lives-in-db',
      ],
      ['a cycle', 'src/search/other.ts', "export * from './search.js';\nexport const o = 1;", 'no-circular'],
    ])(
      '%s',
      async (_what, path, text, rule) => {
        if (rule === 'no-circular')
          await file('src/search/search.ts', "import { o } from './other.js';\nexport const s = o;\n");
        await file(path, `${text}\n`);
        try {
          expect((await violations(tree)).map((v) => v.rule)).toContain(rule);
        } finally {
          await rm(join(tree, path));
          if (rule === 'no-circular')
            await file(
              'src/search/search.ts',
              "import { t } from '../../db/schema.js';\nexport const s = t;\n",
            );
        }
      },
      60_000,
    );
  });
});
