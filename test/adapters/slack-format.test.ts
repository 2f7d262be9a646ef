import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSlack } from '../../adapters/slack/format.js';
import { escapeMrkdwn, mrkdwnLink, truncate } from '../../adapters/slack/mrkdwn.js';
import type { OutboundMessage, PaperView } from '../../src/domain/types.js';

const paper = (over: Partial<PaperView> = {}): PaperView => ({
  id: '2606.13681',
  arxivId: '2606.13681',
  title: 'EvoArena: Tracking Memory Evolution',
  authors: ['Jundong Xu', 'Qingchuan Li', 'Jiaying Wu', 'Someone Else'],
  abstract: 'An abstract.',
  summary: 'A summary.',
  publishedAt: new Date('2026-06-11T00:00:00Z'),
  url: 'https://arxiv.org/abs/2606.13681',
  pdfUrl: 'https://arxiv.org/pdf/2606.13681',
  hfUrl: 'https://huggingface.co/papers/2606.13681',
  codeUrl: null,
  thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.13681.png',
  hfUpvotes: 118,
  categories: [],
  keywords: [],
  ...over,
});

/** Every text in a block tree, with the limit that applies to it. */
function texts(blocks: unknown): { text: string; limit: number }[] {
  const found: { text: string; limit: number }[] = [];
  const walk = (node: unknown, parent: string): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child, parent);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const type = String(record.type ?? parent);
    if ((type === 'mrkdwn' || type === 'plain_text') && typeof record.text === 'string') {
      found.push({ text: record.text, limit: parent === 'header' ? 150 : parent === 'button' ? 75 : 3000 });
    }
    for (const value of Object.values(record)) if (typeof value === 'object') walk(value, type);
  };
  walk(blocks, '');
  return found;
}

describe('Slack Block Kit rendering', () => {
  it('renders a paper as a linked title with authors, summary, links, thumbnail and reason', () => {
    const { text, blocks } = renderSlack({ kind: 'paper', paper: paper(), reason: '▲ 118 on Hugging Face' });
    expect(blocks[0]).toMatchObject({
      type: 'section',
      text: {
        text: expect.stringContaining(
          '*<https://arxiv.org/abs/2606.13681|EvoArena: Tracking Memory Evolution>*',
        ),
      },
      accessory: { type: 'image', image_url: paper().thumbnail },
    });
    const all = JSON.stringify(blocks);
    expect(all).toContain('Jundong Xu, Qingchuan Li, Jiaying Wu et al. · 2026-06-11');
    expect(all).toContain('<https://arxiv.org/pdf/2606.13681|PDF>');
    expect(all).toContain('why:');
    expect(text).toContain('EvoArena: Tracking Memory Evolution');
    expect(text).toContain('https://arxiv.org/abs/2606.13681');
  });

  it('escapes &, < and > and keeps a title with | inside its link', () => {
    const { blocks } = renderSlack({
      kind: 'paper',
      paper: paper({ title: 'A <b>&</b> B | C', summary: '<!channel> & friends' }),
    });
    const body = JSON.stringify(blocks[0]);
    expect(body).toContain('|A &lt;b&gt;&amp;&lt;/b&gt; B ¦ C>');
    expect(body).toContain('&lt;!channel&gt; &amp; friends');
    expect(body).not.toContain('<!channel>');
  });

  it('shows a URL that would break the link markup as text rather than a link', () => {
    expect(mrkdwnLink('https://evil.example/|x>', 'Title')).toBe('Title');
    expect(mrkdwnLink('javascript:alert(1)', 'Title')).toBe('Title');
  });

  it('splits very long text over several sections and caps a huge leaderboard at 50 blocks', () => {
    const long = renderSlack({ kind: 'text', text: 'word '.repeat(3000) });
    expect(long.blocks.length).toBeGreaterThan(4);
    for (const t of texts(long.blocks)) expect(t.text.length).toBeLessThanOrEqual(3000);
    expect(long.text.length).toBeLessThanOrEqual(4000);

    const entries = Array.from({ length: 80 }, (_, i) => ({
      paper: paper({ title: `Paper ${i}` }),
      votes: 80 - i,
    }));
    const board = renderSlack({ kind: 'leaderboard', period: 'week', entries });
    expect(board.blocks).toHaveLength(50);
    expect(JSON.stringify(board.blocks.at(-1))).toContain('and 32 more');
  });

  it('truncates without cutting an entity, a link or a surrogate pair', () => {
    expect(truncate('abc &amp; def', 7)).toBe('abc…');
    expect(truncate('see <https://x.org|a link> now', 12)).toBe('see…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate(escapeMrkdwn('short'), 100)).toBe('short');
  });

  it('stays within every Slack limit whatever the text', () => {
    const str = fc.string({ unit: 'grapheme', maxLength: 6000 });
    const messages: fc.Arbitrary<OutboundMessage> = fc.oneof(
      str.map((text) => ({ kind: 'text' as const, text })),
      fc.record({ title: str, summary: str, reason: str }).map(({ title, summary, reason }) => ({
        kind: 'paper' as const,
        paper: paper({ title, summary }),
        reason,
      })),
      fc
        .record({ title: str, count: fc.nat(), voteHint: str })
        .map((h) => ({ kind: 'digest-header' as const, ...h })),
      fc
        .record({ query: str, label: str, n: fc.integer({ min: 0, max: 70 }) })
        .map(({ query, label, n }) => ({
          kind: 'search-results' as const,
          query,
          offset: 0,
          total: n,
          hint: query,
          hits: Array.from({ length: n }, () => ({
            paper: paper({ title: label }),
            score: 1,
            teamVotes: 2,
            sharedBy: ['ada'],
            discussed: true,
          })),
          buttons: [{ label, command: `search ${query}` }],
        })),
    );
    fc.assert(
      fc.property(messages, (message) => {
        const { text, blocks } = renderSlack(message);
        expect(text.length).toBeLessThanOrEqual(4000);
        expect(blocks.length).toBeGreaterThan(0);
        expect(blocks.length).toBeLessThanOrEqual(50);
        for (const t of texts(blocks)) {
          expect(t.text.length).toBeGreaterThan(0);
          expect(t.text.length).toBeLessThanOrEqual(t.limit);
        }
      }),
      { numRuns: 150 },
    );
  });
});
