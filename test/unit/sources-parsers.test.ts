import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src/domain/paper-input.js';
import { parseArxivAtom } from '../../src/sources/arxiv-atom.js';
import { parseArxivRss } from '../../src/sources/arxiv-rss.js';
import { SourceFormatError } from '../../src/sources/http-client.js';
import { arxivErrorFeed, emptyWeekendRss } from '../fakes/source-payloads.js';
import { fixture } from '../fakes/source-server.js';

describe('arXiv API Atom', () => {
  it('reads every entry of a recorded answer: base id, version, primary category first, authors', () => {
    const page = parseArxivAtom(fixture('arxiv_query_sample.xml'));
    expect(page.total).toBe(28946);
    expect(page.papers).toHaveLength(5);
    expect(page.skipped).toEqual([]);
    const mana = page.papers[0]!;
    expect(mana).toMatchObject({
      id: '2606.13677',
      arxivId: '2606.13677',
      version: 1,
      title: 'Mana: Dexterous Manipulation of Articulated Tools',
      categories: ['cs.RO', 'cs.AI', 'cs.CV', 'cs.LG'],
      authors: ['Zhao-Heng Yin', 'Guanya Shi', 'Pieter Abbeel', 'C. Karen Liu'],
      url: 'https://arxiv.org/abs/2606.13677',
      source: 'arxiv',
    });
    expect(mana.publishedAt?.toISOString()).toBe('2026-06-11T17:59:49.000Z');
    expect(mana.abstract).toContain('(<1 minute per tool)');
  });

  it('refuses a feed whose only entry is an "Error" (the old backend answered errors with HTTP 200)', () => {
    expect(() => parseArxivAtom(arxivErrorFeed('incorrect id format for 1234.5'))).toThrow(
      'arXiv reported an error: incorrect id format for 1234.5',
    );
  });

  it('refuses a cut-off document, and skips an entry without a title while keeping the rest', () => {
    const xml = fixture('arxiv_query_sample.xml');
    expect(() => parseArxivAtom(xml.slice(0, xml.length / 2))).toThrow(SourceFormatError);
    const broken = xml.replace('<title>Adjusted Cup-Product Neural Layer</title>', '');
    const page = parseArxivAtom(broken);
    expect(page.papers.map((p) => p.id)).not.toContain('2606.13568');
    expect(page.papers).toHaveLength(4);
    expect(page.skipped).toEqual([
      { where: 'entry 3', reason: 'title: Invalid input: expected string, received undefined' },
    ]);
  });
});

describe('arXiv new-listings RSS', () => {
  it('keeps new, cross and replace announcements, with the version and every author', () => {
    const listing = parseArxivRss(fixture('arxiv_rss_sample.xml'));
    expect(listing.items.map((i) => [i.paper.id, i.paper.version, i.announceType])).toEqual([
      ['2609.26811', 1, 'new'],
      ['2609.26820', 1, 'new'],
      ['2205.06398', 2, 'cross'],
      ['2009.13987', 3, 'replace'],
    ]);
    const cross = listing.items[2]!.paper;
    expect(cross.authors).toEqual(['Pritam Dey', 'Zhengwu Zhang', 'David B. Dunson']);
    expect(cross.categories).toEqual(['stat.ME', 'stat.AP', 'stat.ML']);
    expect(cross.abstract.startsWith('It has become routine')).toBe(true);
    // Only a new submission is dated by its announcement.
    expect(listing.items[0]!.paper.publishedAt?.toISOString()).toBe('2026-09-24T04:00:00.000Z');
    expect(cross.publishedAt).toBeNull();
  });

  it('reads the empty weekend feed as no papers, not as an error', () => {
    const listing = parseArxivRss(emptyWeekendRss());
    expect(listing.items).toEqual([]);
    expect(listing.skipped).toEqual([]);
  });

  it('refuses an HTML page served where the feed should be', () => {
    expect(() => parseArxivRss('<html><body><h1>503 Service Unavailable</h1></body></html>')).toThrow(
      'the arXiv RSS answer is not an RSS feed',
    );
  });
});

describe('cleaning titles and names', () => {
  it('removes line breaks and TeX spacing', () => {
    expect(cleanText('Scaling\n  Laws for~Neural\\,Language   Models ')).toBe(
      'Scaling Laws for Neural Language Models',
    );
    expect(cleanText('Fran\\c{c}ois ~Chollet')).toBe('Fran\\c{c}ois Chollet');
    expect(cleanText('Null\0 byte')).toBe('Null byte');
  });

  it('leaves any text with single spaces only, none at the ends, and no TeX spacing (property)', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'B', ' ', '  ', '\t', '\n', '\u00a0', '~', '\\', '\\,', '\0', 'é'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(text, (raw) => {
        const clean = cleanText(raw);
        expect(clean).toMatch(/^(\S+( \S+)*)?$/);
        expect(clean).not.toMatch(/\0|(?<!\\)\\[,;:!\s]|(?<!\\)~/);
        expect(cleanText(clean)).toBe(clean);
      }),
    );
  });
});
