import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import type { PaperText } from './paper-text.js';

/** Papers read per statement when the whole library is read. */
const PAGE = 5000;

/** The text of every paper in the library, a page at a time in id order, for recounting what it holds. */
export async function* libraryText(db: Db): AsyncGenerator<(PaperText & { id: string })[]> {
  let after = '';
  for (;;) {
    const rows = await queryRows<PaperText & { id: string }>(
      db,
      sql`select id, title, abstract, keywords, authors from papers
          where id > ${after} order by id limit ${PAGE}`,
    );
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = last.id;
  }
}
