import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channels } from '../../db/schema.js';
import { createHandlers } from '../../src/commands/handlers.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { fakeClock, sendCommand, testCoreDeps } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('channel settings', () => {
  let database: TestDatabase;
  let adapter: MemoryAdapter;
  let handlers: InboundHandlers;

  beforeEach(async () => {
    database = await createTestDatabase();
    adapter = new MemoryAdapter();
    // Thursday 26 Nov 2026, 10:00 UTC.
    const clock = fakeClock(new Date('2026-11-26T10:00:00Z'));
    handlers = createHandlers(testCoreDeps(database.db, { clock }), adapter);
  });
  afterEach(() => database.destroy());

  const say = async (text: string, options: { admin?: boolean } = {}) => {
    await sendCommand(handlers, adapter, text, options);
    return adapter.responses().at(-1);
  };
  const stored = async () => (await database.db.select().from(channels))[0];

  it('sets the schedule in the channel timezone and shows the next run there', async () => {
    expect(await say('schedule 09:30 Europe/Berlin weekdays')).toBe(
      'Digest scheduled at 09:30 Europe/Berlin on weekdays.',
    );
    expect(await say('schedule 7:15pm mon,wed,fri')).toBe(
      'Digest scheduled at 19:15 Europe/Berlin on Mon, Wed, Fri.',
    );
    const settings = await say('settings');
    expect(settings).toContain('• Digest: on, at 19:15 Europe/Berlin on Mon, Wed, Fri');
    expect(settings).toContain('• Next digest: Fri 27 Nov, 19:15 (Europe/Berlin)');
  });

  it('changes only the days or only the timezone when only they are given', async () => {
    await say('schedule 07:45 Europe/Berlin daily');
    expect(await say('schedule weekdays')).toBe('Digest scheduled at 07:45 Europe/Berlin on weekdays.');
    expect(await say('schedule Asia/Tokyo')).toBe('Digest scheduled at 07:45 Asia/Tokyo on weekdays.');
    expect(await say('schedule 9am')).toBe('Digest scheduled at 09:00 Asia/Tokyo on weekdays.');
    const row = await stored();
    expect([row?.digestTime, row?.timezone, row?.days]).toEqual(['09:00', 'Asia/Tokyo', [1, 2, 3, 4, 5]]);
  });

  it('follows and mutes topics, and refuses no-ops with a reason', async () => {
    expect(await say('follow Diffusion')).toMatch(/^Following "diffusion"/);
    expect(await say('follow cat:CS.cl')).toMatch(/^Following "cat:cs.CL"/);
    expect(await say('mute survey')).toMatch(/^Muted "survey"/);
    expect(await say('mute survey')).toBe('"survey" is already muted here.');
    expect(await say('follow survey')).toBe('"survey" is muted here: `/papers unmute survey` first.');
    expect(await say('unfollow robots')).toBe(
      '"robots" is not followed here (followed: "diffusion", "cat:cs.CL").',
    );
    expect(await say('unmute survey')).toBe('Unmuted "survey".');
    // Categories are checked against arXiv's, as zones are against the IANA database.
    expect(await say('follow cat:notacat')).toBe(
      '"notacat" is not an arXiv category. See https://arxiv.org/category_taxonomy, e.g. cat:cs.CL.',
    );
    expect(await say('mute cat:cs.XY')).toBe(
      '"cs.XY" is not an arXiv category. See https://arxiv.org/category_taxonomy, e.g. cat:cs.CL.',
    );
    const row = await stored();
    expect([row?.follows, row?.mutes]).toEqual([['diffusion', 'cat:cs.CL'], []]);
  });

  it.each([
    ['schedule 25:00', /"25:00" is not a time of day: use 24-hour HH:MM/],
    ['schedule', /^Give a time, a timezone or days/],
    [
      'schedule 09:30 Europe/Berln',
      /"Europe\/Berln" is not a timezone I know\. Use an IANA name, such as Europe\/Berlin/,
    ],
    ['schedule 09:30 UTC mon,funday', /"mon,funday" is not a list of days/],
    // Suggested by the city, or not at all: no Africa/Maseru for a place on Mars.
    [
      'schedule 09:30 Mars/Olympus',
      /^"Mars\/Olympus" is not a timezone I know\. Use an IANA name like Europe\/Berlin\.$/,
    ],
    ['schedule 09:30 Asia/Tokio', /such as Asia\/Tokyo\.$/],
    ['size 0', /The digest size must be a whole number from 1 to 20 \(got "0"\)/],
    ['size 500', /from 1 to 20 \(got "500"\)/],
    ['follow', /Follow what\? Give a word or a category/],
    ['mute !!!', /has no letters or digits/],
    ['digest sideways', /Say on or off, e\.g\. `\/papers digest on` \(got "sideways"\)/],
    ['size 8 please', /`\/papers size` takes 1-20: I did not understand "please"/],
    ['pick someday 15:00', /"someday 15:00" is not an arXiv id[\s\S]*Also: `\/papers pick fri 15:00/],
    ['recap maybe', /Say on or off/],
  ])('rejects `%s` with a specific reply and changes nothing', async (text, reply) => {
    await say('settings');
    const before = await stored();
    expect(await say(text)).toMatch(reply);
    expect(await stored()).toEqual(before);
  });

  it('lets only admins change settings', async () => {
    expect(await say('size 8', { admin: false })).toMatch(/^Only admins can change this channel's settings/);
    expect(await say('digest off', { admin: false })).toMatch(/^Only admins/);
    expect(await stored()).toBeUndefined();
    expect(await say('size 8')).toBe('Each digest will hold up to 8 papers.');
    expect(await say('digest off')).toMatch(/daily digest is off/);
    expect((await stored())?.digestSize).toBe(8);
    expect(await say('settings', { admin: false })).toContain('• Next digest: —');
  });
});
