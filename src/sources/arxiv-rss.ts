import { z } from 'zod';
import { describeZodError } from '../domain/errors.js';
import { normalisePaper, type PaperInput } from '../domain/paper-input.js';
import type { SkippedItem } from '../domain/ports.js';
import { SourceFormatError } from './http-client.js';
import { parseXml, xmlText } from './xml.js';

/** How a listing announces a paper: a new submission, a cross-list, or a new version. */
export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

const itemSchema = z.object({
  title: xmlText.refine((t) => t.trim() !== '', 'title is empty'),
  description: xmlText,
  category: z.array(xmlText).optional(),
  creator: xmlText.optional(),
  announce_type: xmlText.optional(),
});

const feedSchema = z.object({
  rss: z.object({
    channel: z.object({
      pubDate: xmlText.optional(),
      item: z.array(z.unknown()).optional(),
    }),
  }),
});

const DESCRIPTION = /^\s*arXiv:(\S+)\s+Announce Type:\s*([a-z-]+)\s*(?:Abstract:\s*)?([\s\S]*)$/i;

/** One day's new-listings feed. */
export interface RssListing {
  /** The announcement day (the channel's pubDate), when the feed says. */
  announcedAt: Date | null;
  items: { paper: PaperInput; announceType: AnnounceType | string }[];
  skipped: SkippedItem[];
}

/**
 * Reads an arXiv new-listings RSS feed. Weekends give a valid feed without items. A document that is not
 * an RSS feed is a SourceFormatError; an item that cannot be read is skipped.
 */
export function parseArxivRss(xml: string): RssListing {
  const parsed = feedSchema.safeParse(parseXml(xml, 'the arXiv RSS feed'));
  if (!parsed.success) throw new SourceFormatError('the arXiv RSS answer is not an RSS feed');
  const { channel } = parsed.data.rss;
  const announced = channel.pubDate ? new Date(channel.pubDate) : null;
  const announcedAt = announced && !Number.isNaN(announced.getTime()) ? announced : null;
  const items: RssListing['items'] = [];
  const skipped: SkippedItem[] = [];
  (channel.item ?? []).forEach((raw, index) => {
    const where = `item ${index + 1}`;
    const item = itemSchema.safeParse(raw);
    if (!item.success) {
      skipped.push({ where, reason: describeZodError(item.error) });
      return;
    }
    const description = DESCRIPTION.exec(item.data.description);
    const announceType = (item.data.announce_type ?? description?.[2] ?? 'new').toLowerCase();
    const paper = description
      ? normalisePaper({
          anyId: description[1],
          title: item.data.title,
          abstract: description[3] ?? '',
          authors: (item.data.creator ?? '').split(/,\s*/),
          categories: item.data.category ?? [],
          // Only a new submission was first published on the day it is announced.
          publishedAt: announceType === 'new' ? announcedAt : null,
          source: 'arxiv',
        })
      : null;
    if (!paper?.arxivId) {
      skipped.push({ where, reason: 'description does not start with "arXiv:<id> Announce Type:"' });
      return;
    }
    items.push({ paper, announceType });
  });
  return { announcedAt, items, skipped };
}
