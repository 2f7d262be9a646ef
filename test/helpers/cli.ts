import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How a `papers` command line ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the `papers` command line as a user would, in a child process, to its end. */
export function runPapersCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', DEBUG: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
