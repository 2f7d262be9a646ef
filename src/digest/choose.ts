import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';

/** A paper picked for a digest, with the line that tells people why. */
export interface DigestPick {
  paperId: string;
  reason: string;
}

/**
 * Today's top papers for a channel: most HF upvotes first, newest next, never a paper the channel has
 * already been shown (posts are keyed by the version-less id, so no version of it either).
 */
export async function choosePapers(db: Db, channelPk: number, size: number): Promise<DigestPick[]> {
  const rows = await queryRows<{ id: string; hf_upvotes: number; sources: string[] }>(
    db,
    sql`
      select p.id, p.hf_upvotes, p.sources
      from papers p
      where not exists (select 1 from posts s where s.channel_id = ${channelPk} and s.paper_id = p.id)
      order by p.hf_upvotes desc, p.published_at desc nulls last, p.id
      limit ${size}`,
  );
  return rows.map((r) => ({ paperId: r.id, reason: reasonFor(r.hf_upvotes) }));
}

function reasonFor(upvotes: number): string {
  return upvotes > 0 ? `▲ ${upvotes} on Hugging Face` : 'new in the library';
}
