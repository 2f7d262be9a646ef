import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../adapters/console/index.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import type { LeaderboardEntry, OutboundMessage, PaperView } from '../../src/domain/types.js';
import { pickMessage } from '../../src/schedule/channel-events.js';

function paper(id: string, title: string, overrides: Partial<PaperView> = {}): PaperView {
  return {
    id,
    arxivId: id,
    title,
    authors: ['Ada Lovelace'],
    abstract: 'An abstract.',
    summary: null,
    publishedAt: new Date('2026-06-11T00:00:00Z'),
    url: `https://arxiv.org/abs/${id}`,
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    hfUrl: `https://huggingface.co/papers/${id}`,
    codeUrl: null,
    thumbnail: null,
    hfUpvotes: 0,
    categories: [],
    keywords: [],
    ...overrides,
  };
}

const entries: LeaderboardEntry[] = [
  { paper: paper('2606.13681', 'EvoArena: Tracking Memory Evolution'), votes: 3, sharedBy: ['alice'] },
  { paper: paper('2606.13392', 'MiniMax Sparse Attention'), votes: 1 },
  {
    paper: paper('paper-3f2a9c1b', 'A workshop note', {
      arxivId: null,
      url: null,
      pdfUrl: 'https://example.org/note.pdf',
      hfUrl: null,
    }),
    votes: 1,
  },
];

/** Types the lines into a console whose bot answers each command with the given message; returns the output. */
async function consoleSession(lines: string[], answers: Record<string, OutboundMessage>): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const handlers: InboundHandlers = {
    async command({ input: typed, ref }) {
      const answer = typed.kind === 'text' ? answers[typed.text] : undefined;
      if (answer) await ref.respond(answer, { private: false });
    },
    async reaction() {},
  };
  const adapter = new ConsoleAdapter({ input, output, interactive: false });
  await adapter.start(handlers);
  input.end(`${lines.join('\n')}\n`);
  await adapter.closed;
  return printed;
}

describe('console rendering of the top papers and the pick', () => {
  it("shows each top paper's id, to type in a command, and its link", async () => {
    const out = await consoleSession(['/papers top'], {
      top: { kind: 'leaderboard', period: 'week', entries },
    });
    expect(out.split('\n')).toEqual([
      '[m1] bot: Top papers this week:',
      '        1. 3 votes  EvoArena: Tracking Memory Evolution — 2606.13681 https://arxiv.org/abs/2606.13681',
      '        2. 1 vote   MiniMax Sparse Attention — 2606.13392 https://arxiv.org/abs/2606.13392',
      '        3. 1 vote   A workshop note — paper-3f2a9c1b https://example.org/note.pdf',
      '',
    ]);
  });

  it("shows ids and links in Monday's recap too, under its own title and above its footer", async () => {
    const out = await consoleSession(['/papers recap'], {
      recap: {
        kind: 'leaderboard',
        period: 'week',
        entries: entries.slice(0, 1),
        title: 'Last week in papers',
        footer: 'Last session: Fri 12 Jun 15:00',
      },
    });
    expect(out).toContain(
      '[m1] bot: Last week in papers:\n' +
        '        1. 3 votes  EvoArena: Tracking Memory Evolution — 2606.13681 https://arxiv.org/abs/2606.13681\n' +
        '        Last session: Fri 12 Jun 15:00\n',
    );
  });

  it('keeps the heading of the pick above its card, with the paper, its links and why', async () => {
    const [first] = entries;
    const out = await consoleSession(['/papers pick'], { pick: pickMessage(first!) });
    expect(out).toMatch(
      /^\[m1\] bot: Next discussion:\n {8}EvoArena: Tracking Memory Evolution\n {8}Ada Lovelace · 2026-06-11\n {8}abs https:\/\/arxiv\.org\/abs\/2606\.13681 · pdf .+\n {8}why: 3 votes · shared by alice\n {8}\[Save: \/papers save 2606\.13681\]\n$/,
    );
  });
});
