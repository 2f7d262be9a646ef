import { fixture } from './source-server.js';

export { atomFeed } from './source-server.js';

/** Hand-made upstream answers for the cases the recordings do not cover. */

/** What the old arXiv backend answered to a bad query: HTTP 200 and one entry titled "Error". */
export function arxivErrorFeed(message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title>arXiv Query: id_list=1234.5</title>
  <opensearch:totalResults>1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.5</id>
    <title>Error</title>
    <summary>${message}</summary>
    <updated>2026-06-14T00:00:00-04:00</updated>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>`;
}

/** The new-listings feed on a Saturday: a valid channel without items. */
export function emptyWeekendRss(): string {
  const recorded = fixture('arxiv_rss_sample.xml');
  return recorded.replace(/<item>[\s\S]*<\/item>\s*/, '').replace(/Thu, 24 Sep 2026/g, 'Sat, 26 Sep 2026');
}

/** The `<entry>` elements of the recorded arXiv API answer. */
export function recordedAtomEntries(): string[] {
  return fixture('arxiv_query_sample.xml').match(/<entry>[\s\S]*?<\/entry>/g) ?? [];
}

/** The recorded HF daily_papers items. */
export function recordedHfItems(): Record<string, unknown>[] {
  return JSON.parse(fixture('hf_daily_papers_sample.json')) as Record<string, unknown>[];
}
