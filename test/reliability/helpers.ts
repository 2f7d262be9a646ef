import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
