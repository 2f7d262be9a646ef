import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { savedBy, weeklyReadingListOn } from '../../db/repositories/reading-list.js';
import { channels } from '../../db/schema.js';
import { createHandlers } from '../../src/commands/handlers.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import { upsertPapers } from '../../src/search/store.js';
import { currentPick } from '../../src/votes/discussion.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { exportWorkspace, listWorkspaces } from '../../src/workspace/export.js';
import { importWorkspace } from '../../src/workspace/import.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { paperInput, testCoreDeps } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('workspace data', () => {
  let source: TestDatabase;
  let dir: string;
  let adapter: MemoryAdapter;
  let handlers: InboundHandlers;

  beforeEach(async () => {
    source = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'papers-export-'));
    await upsertPapers(
      source.db,
      [1, 2, 3].map((i) => paperInput(`2611.0000${i}`, { title: `Paper ${i}`, hfUpvotes: i })),
    );
    adapter = new MemoryAdapter({ platform: 'slack' });
    handlers = createHandlers(testCoreDeps(source.db), adapter);
  });
  afterEach(async () => {
    await source.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const inWorkspace = (workspaceId: string, channelId: string) =>
    ({ platform: 'slack', workspaceId, channelId }) as const;
  const command = (workspaceId: string, text: string) => {
    const channel = inWorkspace(workspaceId, 'general');
    const user = { id: 'admin', isAdmin: true };
    const ref = { id: `${workspaceId}-${text}`, channel, user, respond: adapter.responder(channel) };
    return handlers.command({ ref, channel, user, input: { kind: 'text', text } });
  };
  const vote = (workspaceId: string, messageId: string, user: string) =>
    handlers.reaction({
      action: 'added',
      emoji: '+1',
      user: { id: user, isAdmin: false },
      message: { channel: inWorkspace(workspaceId, 'general'), messageId },
    });

  it('keeps each workspace to itself: its votes, leaderboard and pick', async () => {
    await command('T1', 'digest');
    await command('T2', 'digest');
    const t1Reply = adapter.delivered.find((d) => d.kind === 'reply')!.messageId;
    await vote('T1', t1Reply, 'alice');
    await vote('T2', t1Reply, 'mallory');
    expect(
      (await topPapers(source.db, { platform: 'slack', workspaceId: 'T1' }, 'all', new Date())).map(
        (e) => e.votes,
      ),
    ).toEqual([1]);
    expect(await topPapers(source.db, { platform: 'slack', workspaceId: 'T2' }, 'all', new Date())).toEqual(
      [],
    );
    expect(await currentPick(source.db, { platform: 'slack', workspaceId: 'T2' }, new Date())).toBeNull();
  });

  it('lists the workspaces a database holds, with their channels', async () => {
    await command('T2', 'digest');
    await command('T1', 'digest');
    expect(await listWorkspaces(source.db)).toEqual([
      { platform: 'slack', workspaceId: 'T1', channels: ['general'] },
      { platform: 'slack', workspaceId: 'T2', channels: ['general'] },
    ]);
  });

  it('exports a workspace and imports it into an empty database, twice without change', async () => {
    await command('T1', 'digest');
    await command('T1', 'follow diffusion');
    const [first, second] = adapter.delivered.filter((d) => d.kind === 'reply');
    await vote('T1', first!.messageId, 'alice');
    await vote('T1', first!.messageId, 'bob');
    await vote('T1', second!.messageId, 'carol');
    await command('T1', 'discussed');
    await command('T1', 'share 2611.00002');
    await command('T1', 'save 2611.00003');
    await command('T1', 'saved weekly off');
    await command('T1', 'vote-with both');
    await command('T1', 'taste 3');

    const lines: string[] = [];
    for await (const record of exportWorkspace(source.db, 'T1')) lines.push(JSON.stringify(record));
    const file = join(dir, 'T1.jsonl');
    await writeFile(file, `${lines.join('\n')}\n{"type":"vote","oops":true}\n`);

    const target = await createTestDatabase();
    try {
      const report = await importWorkspace(target.db, file);
      expect(report.imported).toEqual({
        channel: 1,
        paper: 3,
        post: 3,
        vote: 3,
        share: 1,
        saved: 1,
        person: 1,
        discussion: 1,
      });
      expect(report.skipped).toEqual([
        { line: lines.length + 1, reason: expect.stringContaining('channelId') },
      ]);
      const ws = { platform: 'slack', workspaceId: 'T1' } as const;
      const summary = async (db: typeof source.db) => ({
        top: (await topPapers(db, ws, 'all', new Date())).map((e) => [e.paper.id, e.votes, e.sharedBy]),
        pick: (await currentPick(db, ws, new Date()))?.paper.id,
        saved: await savedBy(db, ws, 'admin'),
        weekly: await weeklyReadingListOn(db, ws, 'admin'),
        settings: (await db.select().from(channels)).map((c) => [c.voteWith, c.tasteSlots, c.follows]),
      });
      expect((await summary(target.db)).settings).toEqual([['both', 3, ['diffusion']]]);
      expect((await summary(target.db)).weekly).toBe(false);
      expect(await summary(target.db)).toEqual(await summary(source.db));
      const again = await importWorkspace(target.db, file);
      expect(Object.values(again.imported).every((n) => n === 0)).toBe(true);
      expect(again.unchanged).toBe(lines.length);
      expect(await summary(target.db)).toEqual(await summary(source.db));

      // A vote taken back later, in a newer export, is the one record that changes.
      const taken = lines.map((l) => {
        const r = JSON.parse(l);
        return r.type === 'vote' && r.userId === 'carol'
          ? JSON.stringify({ ...r, active: false, eventAt: new Date(Date.now() + 60_000).toISOString() })
          : l;
      });
      await writeFile(file, `${taken.join('\n')}\n`);
      const newer = await importWorkspace(target.db, file);
      expect(newer.imported).toMatchObject({ vote: 1, channel: 0, paper: 0, post: 0 });
      expect(newer.unchanged).toBe(lines.length - 1);
    } finally {
      await target.destroy();
    }
  });
});
