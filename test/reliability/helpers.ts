import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeChatServer } from '../fakes/http-chat.js';

const CHILD = fileURLToPath(new URL('./digest-child.ts', import.meta.url));

/** A bot process of the reliability suite, with its output collected. */
export interface Child {
  process: ChildProcess;
  output: string;
  /** Resolves when it printed `text`. */
  printed(text: string): Promise<void>;
  exited: Promise<number | null>;
}

export function startChild(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state: Child = {
    process: child,
    output: '',
    printed: (text) =>
      new Promise((resolve) => {
        const check = () => {
          if (state.output.includes(text)) {
            child.stdout?.off('data', check);
            resolve();
          }
        };
        child.stdout?.on('data', check);
        check();
      }),
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (c: Buffer) => {
    state.output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    state.output += c.toString();
  });
  return state;
}

/** A small seeded generator, so a failing run can be repeated with the seed it printed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a bot process with `args` again and again, each time killing it (SIGKILL) at a random point:
 * while it claims its work before sending anything (`beforeSendChance`), or a few milliseconds after the
 * n-th message of this attempt reached the platform (in flight: it may land without being recorded).
 * Waits `pauseMs` after each kill, for the killed process's leases to run out. Returns a line per kill.
 */
export async function killAtRandomPoints(options: {
  args: string[];
  chat: FakeChatServer;
  kills: number;
  random: () => number;
  beforeSendChance: number;
  maxMessage: number;
  maxDelayMs: number;
  pauseMs: number;
}): Promise<string[]> {
  const { chat, random } = options;
  const log: string[] = [];
  for (let i = 0; i < options.kills; i++) {
    const child = startChild(options.args);
    await Promise.race([child.printed('started'), child.exited]);
    const nth = random() < options.beforeSendChance ? 0 : 1 + Math.floor(random() * options.maxMessage);
    const extra = Math.floor(random() * options.maxDelayMs);
    let seen = 0;
    await new Promise<void>((resolve) => {
      if (nth === 0) return resolve();
      chat.onRequest = () => {
        if (++seen === nth) resolve();
      };
      void child.exited.then(() => resolve());
    });
    chat.onRequest = undefined;
    await sleep(extra);
    child.process.kill('SIGKILL');
    await child.exited;
    const where =
      nth === 0 ? `${extra} ms in, before sending` : `${extra} ms into message ${nth} of this attempt`;
    log.push(`kill ${i + 1} ${where}: ${chat.messages.length} messages on the platform`);
    await sleep(options.pauseMs);
  }
  return log;
}
