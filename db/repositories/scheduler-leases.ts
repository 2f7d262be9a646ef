import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { RunCoordinator } from 'node-cron';
import type { Db } from '../client.js';
import { schedulerLeases } from '../schema.js';

/**
 * node-cron's RunCoordinator on Postgres: each fire of a distributed task (its key names the task and
 * the slot) is run by exactly one of the instances sharing the database. A lease row is taken with one
 * atomic upsert; an instance that dies mid-run lets its lease expire, and a finished slot is never run
 * again.
 */
export class PostgresRunCoordinator implements RunCoordinator {
  constructor(
    private readonly db: Db,
    private readonly instanceId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async shouldRun(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + ttlMs);
    const rows = await this.db
      .insert(schedulerLeases)
      .values({ key, owner: this.instanceId, leaseUntil })
      .onConflictDoUpdate({
        target: schedulerLeases.key,
        set: { owner: this.instanceId, leaseUntil },
        setWhere: and(isNull(schedulerLeases.completedAt), lt(schedulerLeases.leaseUntil, now)),
      })
      .returning({ owner: schedulerLeases.owner });
    return rows[0]?.owner === this.instanceId;
  }

  async onComplete(key: string): Promise<void> {
    await this.db
      .update(schedulerLeases)
      .set({ completedAt: this.now() })
      .where(and(eq(schedulerLeases.key, key), eq(schedulerLeases.owner, this.instanceId)));
  }

  /** Drops finished slots older than `before`, so the table stays small. */
  async prune(before: Date): Promise<void> {
    await this.db
      .delete(schedulerLeases)
      .where(or(lt(schedulerLeases.completedAt, before), lt(schedulerLeases.leaseUntil, before)));
  }
}
