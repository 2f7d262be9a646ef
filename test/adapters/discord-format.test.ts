import { describe, expect, it } from 'vitest';
import { CustomIds } from '../../adapters/discord/custom-ids.js';
import { embedLength, LIMITS, renderMessage, threadName } from '../../adapters/discord/format.js';
import type { PaperView, SearchHit } from '../../src/domain/types.js';

const ids = new CustomIds();
const idFor = (command: string) => ids.idFor(command);

function paper(overrides: Partial<PaperView> = {}): PaperView {
  return {
    id: '2401.00001',
    arxivId: '2401.00001',
    title: 'Sparse attention at scale',
    authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],
    abstract: 'An abstract.',
    summary: 'A summary.',
    publishedAt: new Date('2026-11-20T00:00:00Z'),
    url: 'https://arxiv.org/abs/2401.00001',
    pdfUrl: 'https://arxiv.org/pdf/2401.00001',
    hfUrl: null,
    codeUrl: 'https://github.com/example/sparse',
    thumbnail: 'https://cdn.example.org/thumb.png',
    hfUpvotes: 42,
    categories: [],
    keywords: [],
    ...overrides,
  };
}

describe('Discord rendering', () => {
  it('shows a paper as one embed: linked title, authors, summary, links, thumbnail and reason', () => {
    const { embeds } = renderMessage(
      { kind: 'paper', paper: paper(), reason: '▲ 42 on Hugging Face' },
      idFor,
    );
    expect(embeds).toHaveLength(1);
    expect(embeds[0]).toMatchObject({
      title: 'Sparse attention at scale',
      url: 'https://arxiv.org/abs/2401.00001',
      author: { name: 'Ada Lovelace, Alan Turing, Grace Hopper et al.' },
      description: 'A summary.',
      thumbnail: { url: 'https://cdn.example.org/thumb.png' },
      fields: [
        {
          name: 'Links',
          value:
            '[abs](https://arxiv.org/abs/2401.00001) · [pdf](https://arxiv.org/pdf/2401.00001) · [code](https://github.com/example/sparse)',
          inline: true,
        },
        { name: 'Why', value: '▲ 42 on Hugging Face', inline: true },
      ],
    });
  });

  it('cuts an oversized paper to the title, description and field limits, with an ellipsis', () => {
    const huge = paper({ title: 'T'.repeat(400), summary: 'word '.repeat(2000), authors: ['A'.repeat(300)] });
    const [embed] = renderMessage({ kind: 'paper', paper: huge, reason: 'r'.repeat(2000) }, idFor).embeds;
    expect(embed?.title).toHaveLength(LIMITS.embedTitle);
    expect(embed?.title?.endsWith('…')).toBe(true);
    expect(embed?.description?.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embed?.description?.endsWith('…')).toBe(true);
    expect(embed?.author?.name.length).toBeLessThanOrEqual(LIMITS.embedAuthor);
    expect(embed?.fields?.every((f) => f.value.length <= LIMITS.fieldValue)).toBe(true);
    expect(embedLength(embed!)).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it('keeps search results within 10 embeds and 6,000 characters, with share and paging buttons', () => {
    const hits: SearchHit[] = Array.from({ length: 12 }, (_, i) => ({
      paper: paper({
        id: `p${i}`,
        arxivId: `2401.0000${i}`,
        title: `Paper ${i}`,
        summary: 'x '.repeat(1500),
      }),
      score: 1,
      teamVotes: i % 2,
      sharedBy: i % 3 === 0 ? ['ada'] : [],
      discussed: i === 1,
    }));
    const payload = renderMessage(
      {
        kind: 'search-results',
        query: 'sparse',
        hits,
        offset: 0,
        total: 40,
        buttons: [{ label: 'Next', command: 'search sparse page:2' }],
      },
      idFor,
    );
    expect(payload.content).toBe('Results 1–12 of 40 for "sparse"');
    expect(payload.embeds).toHaveLength(LIMITS.embeds);
    expect(payload.embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(payload.embeds[0]?.description?.length).toBeGreaterThan(1000);
    const rows = payload.components.map((row) => row.components.map((b) => ('label' in b ? b.label : '')));
    expect(rows).toEqual([['Next'], ['Share 1', 'Share 2', 'Share 3', 'Share 4', 'Share 5']]);
    const shareId = payload.components[1]?.components[0];
    expect(shareId && 'custom_id' in shareId && ids.commandFor(shareId.custom_id)).toBe('share 2401.00000');
  });

  it('puts text longer than a message into an embed, and never splits an emoji', () => {
    const long = '🔥'.repeat(2500);
    const payload = renderMessage({ kind: 'text', text: long }, idFor);
    expect(payload.content).toBeUndefined();
    const description = payload.embeds[0]?.description ?? '';
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(description.endsWith('🔥…')).toBe(true);
  });

  it('names a digest thread after its header, within 100 characters', () => {
    expect(
      threadName({ kind: 'digest-header', title: 'Trending papers — Thu 26 Nov', count: 5, voteHint: '' }),
    ).toBe('Trending papers — Thu 26 Nov');
    expect(threadName({ kind: 'paper', paper: paper({ title: 'x'.repeat(300) }) })).toHaveLength(
      LIMITS.threadName,
    );
  });
});

describe('button custom ids', () => {
  it('carries short commands in the id and keeps long ones under a key, forgetting the oldest', () => {
    const small = new CustomIds(2);
    expect(small.idFor('share 2401.12345')).toBe('cmd:share 2401.12345');
    const long = (n: number) => `search ${String(n).repeat(120)}`;
    const [a, b, c] = [small.idFor(long(1)), small.idFor(long(2)), small.idFor(long(3))];
    for (const id of [a, b, c]) expect(id.length).toBeLessThanOrEqual(100);
    expect(small.commandFor(a)).toBeUndefined();
    expect(small.commandFor(b)).toBe(long(2));
    expect(small.commandFor(c)).toBe(long(3));
    expect(small.commandFor('someone-elses-button')).toBeUndefined();
  });
});
