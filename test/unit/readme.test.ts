import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { discordCommands } from '../../adapters/discord/commands.js';
import { commandTable } from '../../src/commands/table.js';
import { reasonFor } from '../../src/digest/choose.js';
import { voteHint } from '../../src/domain/present.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const readme = read('README.md');

/** The README says what the product does: these checks catch it drifting from the code. */
describe('the README', () => {
  it('has one table of the commands everyone may use', () => {
    expect(readme.match(/^Everyone:$/gm)).toHaveLength(1);
    const rows = readme.match(/^\| `\/papers search <words>` /gm) ?? [];
    expect(rows).toHaveLength(1);
  });

  it("shows a digest reply's why line as the bot writes it", () => {
    const shown = /^\s+why: (.+)$/m.exec(readme)?.[1];
    expect(shown).toBe(reasonFor({ upvotes: 118, teamVotes: 0, matched: [], ageDays: 1 }));
  });

  it("shows the digest's parent as the bot writes it in a channel that votes with reactions", () => {
    expect(readme).toContain(`\n        ${voteHint('reactions')}\n`);
  });

  it('promises no answer to every search', () => {
    expect(readme).not.toMatch(/never nothing/);
  });

  it('lists every /papers-admin subcommand Discord registers', () => {
    const line = /^- `\/papers-admin [\s\S]*?(?=\n- )/m.exec(readme)?.[0] ?? '';
    const admin = discordCommands(commandTable)[1].subcommands.map((s) => s.name);
    expect(admin.length).toBeGreaterThan(5);
    for (const name of admin) expect(line, name).toMatch(new RegExp(`\`(?:/papers-admin )?${name}\\b`));
  });

  it('keeps the Postgres password out of the address compose gives the bot, so any character works in it', () => {
    const bot = read('compose.yaml').split(/^ {2}bot:$/m)[1] ?? '';
    expect(bot).toMatch(/^\s+DATABASE_URL: postgres:\/\/papers@postgres:5432\/papers$/m);
    expect(bot).toMatch(/^\s+PGPASSWORD: \$\{POSTGRES_PASSWORD\}$/m);
    // The Postgres client takes the password from PGPASSWORD when the address has none.
    const password = 'p@ss:/w#rd?%';
    const previous = process.env.PGPASSWORD;
    process.env.PGPASSWORD = password;
    try {
      const client = postgres('postgres://papers@postgres:5432/papers');
      expect(client.options.pass).toBe(password);
    } finally {
      if (previous === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = previous;
    }
  });

  it('names every variable compose.yaml reads, as .env.example does', () => {
    const env = read('.env.example');
    const used = [...read('compose.yaml').matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!);
    expect(used).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'BOT_PORT']));
    for (const name of new Set(used)) {
      expect(readme, name).toContain(name);
      expect(env, name).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
    }
  });
});
