#!/usr/bin/env node
import { once } from 'node:events';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { slackManifest } from '../adapters/slack/manifest.js';
import { DatabaseUnreachableError } from '../db/client.js';
import { commandTable } from './commands/table.js';
import { ConfigError, loadConfig } from './config.js';
import { dayOf } from './domain/days.js';
import { UserError } from './domain/errors.js';
import type { Platform } from './domain/types.js';
import { runIngestPlan } from './ingest/ingest-command.js';
import { type IngestOptions, planIngest } from './ingest/ingest-request.js';
import { openMigratedDatabase, startBot } from './main.js';
import { searchPapers } from './search/search.js';
import { createSources } from './sources/sources.js';
import { exportWorkspace, listWorkspaces } from './workspace/export.js';
import { importWorkspace } from './workspace/import.js';

// A closed pipe (`papers … | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Settings may live in ./.env; the real environment wins over it.
if (existsSync('.env')) process.loadEnvFile('.env');

const program = new Command('papers')
  .description('A chat bot for research teams: trending papers, search and votes.')
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

program
  .command('start')
  .description('run the bot (console adapter when no Slack/Discord tokens are set)')
  .action(async () => {
    const bot = await startBot({ config: loadConfig() });
    const shutdown = async (signal: string) => {
      bot.log.info({ signal }, 'shutting down');
      // Whatever is still in flight after 10 s is handed back: digests resume from the database.
      setTimeout(() => {
        bot.log.warn('shutdown took longer than 10 s; exiting');
        process.exit(1);
      }, 10_000).unref();
      await bot.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    await bot.closed;
    await bot.stop();
  });

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const database = await openMigratedDatabase(loadConfig());
    console.log(`Migrations applied (${database.location}).`);
    await database.close();
  });

program
  .command('ingest')
  .description('add papers to the library: from a file, an upstream source, or links')
  .option('--file <path>', 'JSON Lines of {title, abstract, ...} or a Hugging Face daily_papers JSON array')
  .option('--source <name>', 'hf (Hugging Face Daily Papers), arxiv (the query API) or rss (new listings)')
  .option(
    '--category <names>',
    'arXiv categories joined with +, e.g. cs.LG+cs.CL (default: ARXIV_CATEGORIES)',
  )
  .option('--from <day>', 'first day, YYYY-MM-DD, with --to (default: today; for arxiv the last 3 days)')
  .option('--to <day>', 'last day, YYYY-MM-DD')
  .option('--by <period>', 'with --source hf: fetch by day (default), week or month')
  .option('--link <links...>', 'arXiv ids or links to papers (arxiv.org, huggingface.co/papers, ...)')
  .addHelpText(
    'after',
    '\nA second run skips what an earlier one finished. Examples:\n' +
      '  papers ingest --source hf --from 2026-01-01 --to 2026-03-31\n' +
      '  papers ingest --source arxiv --category cs.CL --from 2026-03-01 --to 2026-03-07\n' +
      '  papers ingest --source rss --category cs.LG+cs.CL\n' +
      '  papers ingest --link https://arxiv.org/abs/2401.12345v2',
  )
  .action(async (opts: IngestOptions) => {
    const config = loadConfig();
    const plan = planIngest(opts, {
      today: dayOf(new Date()),
      categories: config.ARXIV_CATEGORIES,
    });
    const database = await openMigratedDatabase(config);
    try {
      const sources = createSources(config);
      process.exitCode = await runIngestPlan(database.db, plan, sources, {
        out: process.stdout,
        err: process.stderr,
        fileConcurrency: database.kind === 'postgres' ? 4 : 1,
      });
    } finally {
      await database.close();
    }
  });

program
  .command('search')
  .description('search the library from the command line')
  .argument('[query...]', 'what to search for')
  .option('--limit <n>', 'how many results', positiveInt, 10)
  .option('--json', 'print JSON: an array of {id, title, score, url}')
  .option('--queries <file>', 'run one query per line; prints one JSON line {query, results} each')
  .action(async (words: string[], opts: { limit: number; json?: boolean; queries?: string }) => {
    const queries = opts.queries ? await readQueries(opts.queries) : [words.join(' ')];
    if (queries.every((q) => !q.trim()))
      throw new UserError('give a query, e.g. papers search kv cache compression');
    const database = await openMigratedDatabase(loadConfig());
    try {
      for (const query of queries) {
        const result = await searchPapers(database.db, query, { pageSize: opts.limit });
        const results = result.hits.map((h) => ({
          id: h.paper.id,
          title: h.paper.title,
          score: Number(h.score.toFixed(4)),
          url: h.paper.url,
        }));
        if (opts.queries) console.log(JSON.stringify({ query, results }));
        else if (opts.json) console.log(JSON.stringify(results, null, 2));
        else {
          for (const note of result.notes) console.log(note);
          if (results.length === 0) {
            console.log(`No papers match "${query}".`);
            for (const title of result.suggestions) console.log(`  did you mean: ${title}`);
          }
          for (const [i, r] of results.entries()) console.log(`${i + 1}. ${r.title}\n   ${r.url ?? r.id}`);
        }
      }
    } finally {
      await database.close();
    }
  });

program
  .command('export')
  .description("write a workspace's channels, posts, votes, shares and discussions as JSON Lines")
  .requiredOption('--workspace <id>', 'Slack team id, Discord guild id, or "console"')
  .option('--platform <name>', 'slack, discord or console (when one id exists on several)')
  .option('--out <file>', 'write to a file instead of standard output')
  .action(async (opts: { workspace: string; platform?: string; out?: string }) => {
    const platform = opts.platform === undefined ? undefined : parsePlatform(opts.platform);
    const database = await openMigratedDatabase(loadConfig());
    try {
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      let count = 0;
      for await (const record of exportWorkspace(database.db, opts.workspace, platform)) {
        if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
        count++;
      }
      if (opts.out)
        await new Promise<void>((resolve, reject) =>
          (out as WriteStream).end((err?: Error) => (err ? reject(err) : resolve())),
        );
      if (count === 0)
        throw new UserError(
          `no workspace "${opts.workspace}" here: nothing was exported. \`papers workspaces\` lists the ids this database holds.`,
        );
      console.error(`Exported ${count} records of workspace ${opts.workspace}.`);
    } finally {
      await database.close();
    }
  });

program
  .command('import')
  .description('read back a workspace export (idempotent)')
  .argument('<file>', 'a file written by papers export')
  .action(async (file: string) => {
    const database = await openMigratedDatabase(loadConfig());
    try {
      const { imported, unchanged, skipped } = await importWorkspace(database.db, file);
      for (const s of skipped) console.error(`skipped line ${s.line}: ${s.reason}`);
      const read = Object.values(imported).reduce((a, b) => a + b, unchanged);
      if (read === 0) {
        throw new UserError(
          `nothing in ${file} could be imported (${skipped.length} line${skipped.length === 1 ? '' : 's'} skipped): give a file written by papers export`,
        );
      }
      const counts = Object.entries(imported)
        .filter(([, n]) => n > 0)
        .map(([type, n]) => `${n} ${type}${n === 1 ? '' : 's'}`);
      const already =
        unchanged > 0 ? `${unchanged} record${unchanged === 1 ? ' was' : 's were'} already here` : '';
      console.log(
        `${counts.length > 0 ? `Imported ${counts.join(', ')}` : 'Nothing new'}${already ? `; ${already}` : ''}; ${skipped.length} skipped.`,
      );
    } finally {
      await database.close();
    }
  });

program
  .command('workspaces')
  .description('list the workspaces this database holds, with their ids for export')
  .action(async () => {
    const database = await openMigratedDatabase(loadConfig());
    try {
      const found = await listWorkspaces(database.db);
      if (found.length === 0) {
        console.error(
          'No workspace yet: a workspace appears once the bot has heard from one of its channels.',
        );
        return;
      }
      for (const w of found) {
        const names = w.channels.map((c) => (c.startsWith('#') ? c : `#${c}`)).join(', ');
        console.log(
          `${w.platform.padEnd(8)} ${w.workspaceId.padEnd(14)} ${w.channels.length} channel${w.channels.length === 1 ? '' : 's'}: ${names}`,
        );
      }
      console.error('Export one with: papers export --workspace <id> [--platform <name>] --out <file>');
    } finally {
      await database.close();
    }
  });

function parsePlatform(value: string): Platform {
  if (value === 'slack' || value === 'discord' || value === 'console') return value;
  throw new UserError(`--platform must be slack, discord or console (got "${value}")`);
}

program
  .command('discord-register')
  .description('register the /papers commands with Discord and print the link that invites the bot')
  .option(
    '--guild <id>',
    'only in this server: changes show at once (global registration can take an hour)',
    snowflake,
  )
  .action(async (opts: { guild?: string }) => {
    const config = loadConfig();
    const token = config.DISCORD_TOKEN;
    const applicationId = config.DISCORD_APPLICATION_ID;
    if (!token || !applicationId) {
      throw new UserError(
        'set DISCORD_TOKEN and DISCORD_APPLICATION_ID (Discord Developer Portal: Bot → Reset Token, and General Information → Application ID); see the README',
      );
    }
    // discord.js is loaded only for this command: every other one starts without it.
    const { inviteUrl, registerCommands } = await import('../adapters/discord/commands.js');
    const { registered } = await registerCommands({
      commands: commandTable,
      token,
      applicationId,
      ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
      ...(opts.guild ? { guildId: opts.guild } : {}),
    });
    console.log(
      opts.guild
        ? `Registered ${listed(registered)} in server ${opts.guild}; they show there at once.`
        : `Registered ${listed(registered)} globally; Discord may take up to an hour to show them everywhere.`,
    );
    console.log(`Invite the bot to a server with:\n  ${inviteUrl(applicationId)}`);
  });

function snowflake(value: string): string {
  if (!/^\d{17,20}$/.test(value)) {
    throw new InvalidArgumentError(
      'must be a server id, 17 to 20 digits (Discord: User Settings → Advanced → Developer Mode, then right-click the server → Copy Server ID)',
    );
  }
  return value;
}

program
  .command('slack-manifest')
  .description('print the Slack app manifest to paste into "Create an app → From a manifest"')
  .option('--name <name>', 'the app and bot name', 'papers')
  .option(
    '--request-url <url>',
    'HTTP mode: the public https URL of /slack/events (omit for Socket Mode, the easy path)',
    httpsUrl,
  )
  .action((opts: { name: string; requestUrl?: string }) => {
    const manifest = slackManifest({
      commands: commandTable,
      name: opts.name,
      ...(opts.requestUrl ? { requestUrl: opts.requestUrl } : {}),
    });
    console.log(JSON.stringify(manifest, null, 2));
  });

async function readQueries(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim());
  } catch {
    throw new UserError(`cannot read queries file ${path}`);
  }
}

function httpsUrl(value: string): string {
  if (!/^https:\/\/[^\s/]+\.[^\s/]+\/\S*slack\/events$/.test(value))
    throw new InvalidArgumentError(
      "must be the https URL of the bot's /slack/events, e.g. https://papers.example.org/slack/events",
    );
  return value;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new InvalidArgumentError('must be a whole number from 1 to 1000');
  return n;
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const debug = Boolean(process.env.DEBUG && process.env.DEBUG !== '0' && process.env.DEBUG !== 'false');
  if (err instanceof ConfigError || err instanceof UserError) {
    console.error(`papers: ${err.message}`);
    process.exit(2);
  }
  if (err instanceof DatabaseUnreachableError) {
    console.error(`papers: ${err.message}`);
    if (debug) console.error(err.stack);
    process.exit(1);
  }
  console.error(`papers: ${err instanceof Error ? err.message : String(err)}`);
  if (debug) console.error(err instanceof Error ? err.stack : err);
  else console.error('(set DEBUG=1 for details)');
  process.exit(1);
}

/** `a, b and c`. */
function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
