import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Db } from '../../db/client.js';
import { type ChannelRow, channelsWithSchedules } from '../../db/repositories/channels.js';
import { finishedRuns } from '../../db/repositories/digest-runs.js';
import { runDigest } from '../digest/run.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter, Clock } from '../domain/ports.js';
import { addDays, localDateIn, weekdayOf, zonedTimeToUtc } from '../domain/time.js';
import { sendReadingLists } from '../reading/reading-list.js';
import { advanceSessions, sessionWork } from '../sessions/steps.js';
import { postAlerts } from '../taste/alerts.js';
import { postPick, postRecap } from './channel-events.js';

export interface SchedulerDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  instanceId: string;
  adapters: ChatAdapter[];
  /** A digest missed while the bot was down is still posted if it is at most this late. */
  catchUpMs: number;
  /** Elects one instance per minute across instances sharing the database. */
  coordinator?: RunCoordinator;
  /** How long a session step's claim holds before another instance may take it over (default 5 min). */
  stepLeaseMs?: number;
}

export interface TickReport {
  digests: number;
  picks: number;
  recaps: number;
  /** Session steps that posted (ballots, picks, events, reminders, wrap-ups). */
  sessionSteps: number;
  /** New versions and code announced in papers' threads. */
  alerts: number;
  /** Weekly reading-list messages sent. */
  readingLists: number;
  failed: number;
}

/**
 * The local date whose `time` on one of `days` has passed at `now` by at most `windowMs`; null when no
 * slot is due. Yesterday is checked too, so a late-evening slot can be caught up after midnight.
 */
export function dueSlot(
  now: Date,
  time: string,
  days: number[],
  timezone: string,
  windowMs: number,
): string | null {
  const today = localDateIn(timezone, now);
  for (const date of [today, addDays(today, -1)]) {
    if (!days.includes(weekdayOf(date))) continue;
    const at = zonedTimeToUtc(date, time, timezone);
    const late = now.getTime() - at.getTime();
    if (late >= 0 && late <= windowMs) return date;
  }
  return null;
}

/**
 * Every minute, posts what is due in each channel: the digest at its local time and days, the discussion
 * pick, the Monday recap. Each post is claimed in Postgres first, so a restart, a catch-up and several
 * instances all end in exactly one post per channel and slot.
 */
export class Scheduler {
  private task: ScheduledTask | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.task = cron.schedule('* * * * *', () => this.tickSafely(), {
      name: 'papers-schedule',
      noOverlap: true,
      ...(this.deps.coordinator ? { distributed: true, runCoordinator: this.deps.coordinator } : {}),
    });
    // Catch up at once on what was missed while the bot was down.
    void this.tickSafely();
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    await this.running;
  }

  /** Runs a tick now, after the one under way if any (the console's `:clock` moved the time). */
  async tickNow(): Promise<void> {
    await this.tickSafely();
  }

  /** Ticks of one process run one after another: the minute's and one asked for never overlap. */
  private tickSafely(): Promise<unknown> {
    this.running = this.running
      .then(() => this.tick())
      .catch((err) => this.deps.log.error({ err }, 'schedule tick failed'));
    return this.running;
  }

  async tick(now: Date = this.deps.clock.now()): Promise<TickReport> {
    const { db, log } = this.deps;
    const byPlatform = new Map(this.deps.adapters.map((a) => [a.platform, a]));
    const rows = await channelsWithSchedules(db, [...byPlatform.keys()]);
    const window = this.deps.catchUpMs;
    const jobs: { kind: keyof Omit<TickReport, 'failed'>; channel: ChannelRow; date: string }[] = [];
    for (const channel of rows) {
      const digest =
        channel.digestEnabled && dueSlot(now, channel.digestTime, channel.days, channel.timezone, window);
      if (digest) jobs.push({ kind: 'digests', channel, date: digest });
      // With sessions, the pick is part of each session's timeline instead of a weekly slot.
      const pick =
        channel.pickEnabled &&
        !channel.sessionEnabled &&
        dueSlot(now, channel.pickTime, [channel.pickDay], channel.timezone, window);
      if (pick) jobs.push({ kind: 'picks', channel, date: pick });
      const recap = channel.recapEnabled && dueSlot(now, channel.digestTime, [1], channel.timezone, window);
      if (recap) jobs.push({ kind: 'recaps', channel, date: recap });
    }
    const pending = await this.withoutFinishedDigests(jobs);
    const report: TickReport = {
      digests: 0,
      picks: 0,
      recaps: 0,
      sessionSteps: 0,
      alerts: 0,
      readingLists: 0,
      failed: 0,
    };
    const sessions = await sessionWork(db, rows, [...byPlatform.keys()], now);
    await Promise.all(
      pending.map(async (job) => {
        const adapter = byPlatform.get(job.channel.platform)!;
        const common = { db, adapter, now: () => this.deps.clock.now() };
        try {
          let posted = false;
          if (job.kind === 'digests') {
            const outcome = await runDigest(
              { ...common, instanceId: this.deps.instanceId },
              job.channel,
              job.date,
            );
            posted = outcome.status === 'posted' || outcome.status === 'empty';
          } else if (job.kind === 'picks') posted = await postPick(common, job.channel, job.date);
          else posted = await postRecap(common, job.channel, job.date);
          if (posted) report[job.kind]++;
        } catch (err) {
          report.failed++;
          log.error(
            { err, channel: job.channel.id, kind: job.kind, date: job.date },
            'scheduled post failed',
          );
        }
      }),
    );
    for (const adapter of this.deps.adapters) {
      const deps = { db, adapter, log, instanceId: this.deps.instanceId, now: () => this.deps.clock.now() };
      const failed = (what: string) => (err: unknown) => {
        log.error({ err }, `${what} failed`);
        return 0;
      };
      report.alerts += await postAlerts(deps).catch(failed('alerts'));
      report.readingLists += await sendReadingLists(deps).catch(failed('reading lists'));
      const due = sessions.filter((d) => d.channel.platform === adapter.platform);
      if (due.length === 0) continue;
      report.sessionSteps += await advanceSessions(
        {
          db,
          adapter,
          log,
          instanceId: this.deps.instanceId,
          now: () => this.deps.clock.now(),
          ...(this.deps.stepLeaseMs ? { leaseMs: this.deps.stepLeaseMs } : {}),
        },
        due,
      );
    }
    return report;
  }

  /** Skips digests already done, with one query, so a tick costs little when nothing is due. */
  private async withoutFinishedDigests<T extends { kind: string; channel: ChannelRow; date: string }>(
    jobs: T[],
  ): Promise<T[]> {
    const digestJobs = jobs.filter((j) => j.kind === 'digests');
    if (digestJobs.length === 0) return jobs;
    const finished = await finishedRuns(
      this.deps.db,
      digestJobs.map((j) => j.channel.id),
    );
    return jobs.filter((j) => j.kind !== 'digests' || !finished.has(`${j.channel.id}:${j.date}`));
  }
}
