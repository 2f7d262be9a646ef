import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of this process and of the local Postgres server, in microseconds. On a shared machine whose
 * speed changes from minute to minute, CPU per paper tells where a change saved work, and the ratio of
 * the two sides moves less than either.
 */
export interface CpuSample {
  process: number;
  /** All local Postgres processes together; null where /proc does not show them (a remote server). */
  postgres: number | null;
}

export function sampleCpu(): CpuSample {
  const { user, system } = process.cpuUsage();
  return { process: user + system, postgres: postgresCpu() };
}

/** Clock ticks per second in /proc: USER_HZ, 100 on Linux. */
const TICK_MICROS = 1_000_000 / 100;

function postgresCpu(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  let found = false;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    if (!stat.includes('(postgres)')) continue;
    found = true;
    // After the command's closing parenthesis: utime, stime, cutime, cstime are fields 12–15 from there.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return found ? ticks * TICK_MICROS : null;
}

/** CPU per paper between two samples: `CPU bot 84 µs, Postgres 67 µs per paper`, Postgres if asked. */
export function cpuPerPaper(
  before: CpuSample,
  after: CpuSample,
  papers: number,
  options: { label: string; postgres: boolean },
): string {
  const perItem = (micros: number) => `${Math.round(micros / papers)} µs`;
  const parts = [`${options.label} ${perItem(after.process - before.process)}`];
  if (options.postgres && before.postgres !== null && after.postgres !== null) {
    parts.push(`Postgres ${perItem(after.postgres - before.postgres)}`);
  }
  return `CPU ${parts.join(', ')} per paper`;
}
