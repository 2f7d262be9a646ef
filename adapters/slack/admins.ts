import type { WebClient } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Logger } from '../../src/domain/log.js';

const usersInfoSchema = z.object({
  user: z.object({
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    is_primary_owner: z.boolean().optional(),
  }),
});

export interface AdminDirectoryOptions {
  client: WebClient;
  log: Logger;
  /** Slack user ids who may change settings whatever their workspace role. */
  configured: readonly string[];
  /** How long a users.info answer is trusted; a demoted admin loses rights within this time. */
  ttlMs?: number;
}

/**
 * Who may change channel settings: workspace admins and owners (from users.info, cached briefly so a burst
 * of commands costs one call), and the users named in SLACK_ADMIN_USERS.
 */
export class AdminDirectory {
  private readonly cache: LRUCache<string, { isAdmin: boolean }>;
  private readonly configured: ReadonlySet<string>;

  constructor(private readonly options: AdminDirectoryOptions) {
    this.configured = new Set(options.configured);
    this.cache = new LRUCache({ max: 10_000, ttl: options.ttlMs ?? 5 * 60_000 });
  }

  async isAdmin(teamId: string, userId: string): Promise<boolean> {
    if (this.configured.has(userId)) return true;
    const key = `${teamId}:${userId}`;
    const cached = this.cache.get(key);
    if (cached) return cached.isAdmin;
    let isAdmin = false;
    try {
      const { user } = usersInfoSchema.parse(await this.options.client.users.info({ user: userId }));
      isAdmin = Boolean(user.is_admin || user.is_owner || user.is_primary_owner);
    } catch (err) {
      // Without users:read nobody is an admin unless configured; commands still work, settings say why.
      this.options.log.warn({ err, userId }, 'could not look up Slack user role');
      return false;
    }
    this.cache.set(key, { isAdmin });
    return isAdmin;
  }
}
