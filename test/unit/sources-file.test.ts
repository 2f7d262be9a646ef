import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { parsePapersText, readPapersFileInChunks } from '../../src/sources/file.js';
import { fixture } from '../fakes/source-server.js';

describe('papers files', () => {
  it('keys a JSON Lines paper by the arXiv id in its id, arxivId or url, without version', () => {
    const text = [
      JSON.stringify({ title: 'A', id: 'arXiv:2401.12345v3' }),
      JSON.stringify({ title: 'B', url: 'https://huggingface.co/papers/2402.00001' }),
      JSON.stringify({ title: 'C\n  wrapped', arxivId: 'hep-th/9901001' }),
      JSON.stringify({ title: 'D', url: 'https://example.org/d' }),
    ].join('\n');
    const { papers, skipped } = parsePapersText(text);
    expect(skipped).toEqual([]);
    expect(papers.map((p) => [p.id, p.version, p.title])).toEqual([
      ['2401.12345', 3, 'A'],
      ['2402.00001', null, 'B'],
      ['hep-th/9901001', null, 'C wrapped'],
      [expect.stringMatching(/^paper-[0-9a-f]{16}$/), null, 'D'],
    ]);
  });

  it('reports a bad line by number and reads the rest', () => {
    const { papers, skipped } = parsePapersText('{"title": "ok"}\n{"title": \n{"abstract": "no title"}\n');
    expect(papers).toHaveLength(1);
    expect(skipped).toEqual([
      { where: 'line 2', reason: 'not valid JSON' },
      { where: 'line 3', reason: 'title: missing or not text' },
    ]);
  });

  it('skips a paper whose counts the database could not hold, and says why', () => {
    const lines = [
      '{"title": "ok", "upvotes": 3}',
      '{"title": "huge", "upvotes": 99999999999}',
      '{"title": "half", "upvotes": 1.5}',
    ];
    const { papers, skipped } = parsePapersText(lines.join('\n'));
    expect(papers.map((p) => p.title)).toEqual(['ok']);
    expect(skipped).toEqual([
      { where: 'line 2', reason: 'upvotes: too large' },
      { where: 'line 3', reason: 'upvotes: not a whole number' },
    ]);
    const hf = JSON.stringify([
      { paper: { id: '2401.00001', title: 'A', upvotes: 2 ** 31 } },
      { paper: { id: '2401.00002', title: 'B', githubStars: 7 }, numComments: 1 },
    ]);
    expect(parsePapersText(hf).skipped).toEqual([{ where: 'item 1', reason: 'paper.upvotes: too large' }]);
  });

  it('skips a paper whose publishedAt is no date, and says what to write', () => {
    const lines = [
      '{"title": "dated", "publishedAt": "2026-06-11"}',
      '{"title": "vague", "publishedAt": "yesterday"}',
      '{"title": "timed", "publishedAt": "2026-06-11T09:00:00Z"}',
    ];
    const { papers, skipped } = parsePapersText(lines.join('\n'));
    expect(papers.map((p) => [p.title, p.publishedAt?.toISOString()])).toEqual([
      ['dated', '2026-06-11T00:00:00.000Z'],
      ['timed', '2026-06-11T09:00:00.000Z'],
    ]);
    expect(skipped).toEqual([
      {
        where: 'line 2',
        reason:
          'publishedAt: "yesterday" is not a date: write 2026-06-11 or an ISO time such as 2026-06-11T09:00:00Z',
      },
    ]);
  });

  it('reads a recorded Hugging Face daily_papers answer saved to a file', () => {
    const { papers } = parsePapersText(fixture('hf_daily_papers_sample.json'));
    expect(papers).toHaveLength(30);
    expect(papers.every((p) => p.source === 'hf' && p.arxivId)).toBe(true);
  });

  it('names a missing file in a clear error', async () => {
    await expect(readPapersFileInChunks('/nonexistent/papers.jsonl').next()).rejects.toThrow(
      new UserError('no such file: /nonexistent/papers.jsonl'),
    );
  });

  it('refuses a cut-off JSON array, and skips an item that is not a paper', () => {
    expect(() => parsePapersText('[{"paper": {"id": "2401.1')).toThrow(UserError);
    expect(parsePapersText('["a"]').skipped).toEqual([
      { where: 'item 1', reason: 'Invalid input: expected object, received string' },
    ]);
  });
});
