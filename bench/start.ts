/**
 * How long `npm start` takes to show the console's prompt: on a data folder that does not exist yet (the
 * first start: database made, sample papers loaded), then again on the same folder (a later start).
 *
 *   npm run bench:start                                  # npm start --silent, 1 first start + 3 later ones
 *   npm run bench:start -- --runs 5
 *   npm run bench:start -- --command "node dist/src/cli.js start"
 *
 * With `script` (util-linux) the command runs on a terminal, as a person runs it, and the time is until the
 * prompt shows; without it, stdin is a pipe and the time is until the process has read `:quit` and exited.
 * Each start also reports when it exited.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    command: { type: 'string', default: 'npm start --silent' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive whole number');
const command = values.command;
const PROMPT = 'you@#papers> ';
const onTerminal = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

interface Timing {
  /** Until the prompt showed (on a terminal), else undefined. */
  prompt: number | undefined;
  exit: number;
  code: number | null;
}

function startOnce(dataDir: string): Promise<Timing> {
  const env = {
    ...process.env,
    DATABASE_URL: `pglite:${dataDir}`,
    // A .env with chat tokens would start Slack or Discord instead of the console.
    SLACK_BOT_TOKEN: '',
    DISCORD_TOKEN: '',
    CHAT_REQUIRED: 'false',
  };
  const started = performance.now();
  const child = onTerminal
    ? spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn('sh', ['-c', command], { env, stdio: ['pipe', 'ignore', 'inherit'] });
  let prompt: number | undefined;
  let seen = '';
  if (onTerminal) {
    child.stdout?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-200);
      if (prompt === undefined && seen.includes(PROMPT)) {
        prompt = performance.now() - started;
        child.stdin?.end(':quit\n');
      }
    });
  } else child.stdin?.end(':quit\n');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ prompt, exit: performance.now() - started, code }));
  });
}

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const dir = await mkdtemp(join(tmpdir(), 'papers-bench-start-'));
try {
  const dataDir = join(dir, 'pglite');
  console.log(
    `${command}, DATABASE_URL=pglite:<new folder>, ${onTerminal ? 'on a terminal' : 'stdin a pipe'}`,
  );
  const first = await startOnce(dataDir);
  if (first.code !== 0) throw new Error(`the first start exited with ${first.code}`);
  console.log(`first start:  prompt ${seconds(first.prompt)}, exited ${seconds(first.exit)}`);
  const later: Timing[] = [];
  for (let i = 0; i < runs; i += 1) {
    const run = await startOnce(dataDir);
    if (run.code !== 0) throw new Error(`a later start exited with ${run.code}`);
    later.push(run);
    console.log(`later start:  prompt ${seconds(run.prompt)}, exited ${seconds(run.exit)}`);
  }
  const prompts = later.flatMap((r) => (r.prompt === undefined ? [] : [r.prompt]));
  console.log(
    `median of ${runs} later starts: prompt ${seconds(prompts.length ? median(prompts) : undefined)}, exited ${seconds(median(later.map((r) => r.exit)))}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
