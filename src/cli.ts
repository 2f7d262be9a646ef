#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { DatabaseUnreachableError } from '../db/client.js';
import { ConfigError, loadConfig } from './config.js';
import { UserError } from './core/errors.js';
import { ingestFile } from './ingest/ingest-file.js';
import { openMigratedDatabase, startBot } from './main.js';
import { searchPapers } from './search/search.js';

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
  .description('add papers to the library')
  .requiredOption(
    '--file <path>',
    'JSON Lines of {title, abstract, ...} or a Hugging Face daily_papers JSON array',
  )
  .action(async (opts: { file: string }) => {
    const database = await openMigratedDatabase(loadConfig());
    try {
      const { counts, skipped } = await ingestFile(database.db, opts.file);
      for (const s of skipped) console.error(`skipped ${s.where}: ${s.reason}`);
      console.log(
        `Ingested ${opts.file}: ${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${skipped.length} skipped.`,
      );
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

async function readQueries(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim());
  } catch {
    throw new UserError(`cannot read queries file ${path}`);
  }
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
