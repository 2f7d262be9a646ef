import type { Db } from '../../db/client.js';
import { discussedAmong } from '../../db/repositories/discussions.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import { sharersOf } from '../../db/repositories/shares.js';
import { paperTexts, recentPaperIds, votedPapers } from '../../db/repositories/taste.js';
import { votesFor } from '../../db/repositories/votes.js';
import { UserError } from '../domain/errors.js';
import type { SearchHit, Workspace } from '../domain/types.js';
import { lexemeOf } from '../search/lexemes.js';
import { textWords } from '../search/query.js';
import { documentCounts, papersSharingWords } from '../search/terms.js';
import { likeReason, MIN_VOTES, positiveVectors, tasteFit, tasteOf } from './taste.js';
import { cosine, Idf, sharedTerms, surfaceWords, termCounts } from './vectors.js';

/** How many results similar and for-me give. */
const SHOWN = 5;
/** Papers compared with the seed: those sharing its most telling words, the best matches first. */
const COMPARED = 200;
/** Words of the seed used to find them: telling (in few papers), yet shared with some. */
const PROBE_WORDS = 10;

export type SimilarSort = 'similarity' | 'date' | 'votes';

/** Hits as search shows them, with what the team did with each and a line of why. */
async function asHits(
  db: Db,
  ws: Workspace,
  scored: { id: string; score: number; why: string }[],
): Promise<SearchHit[]> {
  const ids = scored.map((s) => s.id);
  const [views, votes, sharers, discussed] = await Promise.all([
    loadPaperViews(db, ids),
    votesFor(db, ws, ids),
    sharersOf(db, ws, ids),
    discussedAmong(db, ws, ids),
  ]);
  return scored.flatMap((s) => {
    const paper = views.get(s.id);
    return paper
      ? [
          {
            paper,
            score: s.score,
            teamVotes: votes.get(s.id) ?? 0,
            sharedBy: sharers.get(s.id) ?? [],
            discussed: discussed.has(s.id),
            why: s.why,
          },
        ]
      : [];
  });
}

/**
 * The papers of the library nearest to one (cosine of tf-idf over title, keywords and abstract), each
 * with the words they share and the team's votes; sorted by nearness, or the nearest sorted by date or
 * votes.
 */
export async function similarPapers(
  db: Db,
  ws: Workspace,
  paperId: string,
  sort: SimilarSort,
  now: Date,
): Promise<{ title: string; hits: SearchHit[] }> {
  const [seed] = await paperTexts(db, [paperId]);
  if (!seed) throw new UserError(`I don't know the paper "${paperId}".`);
  if (seed.abstract.trim().length < 40) {
    throw new UserError(
      `“${seed.title}” has no abstract in the library, so there is too little to compare it by. Try \`/papers search\` with words from its title.`,
    );
  }
  // The seed's telling words: often in it (the title counts twice), in few other papers. A word in the
  // seed alone finds nothing; one in most papers finds everything.
  const counts0 = new Map<string, number>();
  const count = (text: string, weight: number) => {
    for (const w of textWords(text)) counts0.set(w, (counts0.get(w) ?? 0) + weight);
  };
  count(seed.title, 2);
  count(seed.keywords.join(' '), 2);
  count(seed.abstract, 1);
  const docs = await documentCounts(db, [...counts0.keys()]);
  const library = Math.max(2, ...docs.values());
  const telling = (w: string) =>
    (1 + Math.log(counts0.get(w)!)) * Math.log((library * 4) / (docs.get(w) ?? 1));
  const probes = [...counts0.keys()]
    .filter((w) => (docs.get(w) ?? 0) >= 2 && lexemeOf(w) !== null)
    .sort((a, b) => telling(b) - telling(a))
    .slice(0, PROBE_WORDS);
  const ids = await papersSharingWords(db, probes, seed.id, COMPARED);
  const texts = await paperTexts(db, ids);
  const counts = new Map(texts.map((t) => [t.id, termCounts(t)]));
  const seedCounts = termCounts(seed);
  // Rarity as the library has it: the papers found share the seed's words, so among them alone the
  // words they share would count as common.
  const sample = (await recentPaperIds(db, now, 30)).filter((id) => !counts.has(id));
  const recent = (await paperTexts(db, sample)).map(termCounts);
  const idf = new Idf([seedCounts, ...counts.values(), ...recent]);
  const seedVector = idf.vector(seedCounts);
  const surface = surfaceWords(seed);
  const nearest = [...counts]
    .map(([id, c]) => {
      const vector = idf.vector(c);
      const shared = sharedTerms(seedVector, vector, 3).map((t) => surface.get(t) ?? t);
      return {
        id,
        score: cosine(seedVector, vector),
        why: shared.length ? `shares ${shared.join(', ')}` : '',
      };
    })
    .filter((n) => n.score > 0)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, SHOWN);
  const hits = await asHits(db, ws, nearest);
  if (sort === 'date')
    hits.sort((a, b) => (b.paper.publishedAt?.getTime() ?? 0) - (a.paper.publishedAt?.getTime() ?? 0));
  if (sort === 'votes') hits.sort((a, b) => b.teamVotes - a.teamVotes || b.score - a.score);
  return { title: seed.title, hits };
}

/**
 * A person's own best matches among the last weeks' papers, from their votes: those their taste most
 * expects them to want and they have not voted on, with which of their votes each is like.
 */
export async function forMe(db: Db, ws: Workspace, userId: string, now: Date): Promise<SearchHit[]> {
  const taste = await tasteOf(db, ws, now, userId);
  if (!taste) {
    const cast = (await votedPapers(db, ws, userId)).length;
    throw new UserError(
      `Your picks come from your votes: vote on at least ${MIN_VOTES} papers (you have ${cast}) by reacting to the ones the bot posts, then ask again.`,
    );
  }
  const voted = new Set((await votedPapers(db, ws, userId)).map((v) => v.paperId));
  const ids = (await recentPaperIds(db, now, 30)).filter((id) => !voted.has(id));
  const texts = await paperTexts(db, ids);
  const ranked = texts
    .map((t) => {
      const terms = termCounts(t);
      return { text: t, terms, fit: tasteFit(taste, terms) };
    })
    .sort((a, b) => b.fit - a.fit || a.text.id.localeCompare(b.text.id))
    .slice(0, SHOWN);
  const liked = await positiveVectors(db, taste);
  return asHits(
    db,
    ws,
    ranked.map((r) => ({
      id: r.text.id,
      score: r.fit,
      why:
        likeReason(taste, r.terms, liked, 'you voted for') ??
        `fits your votes (${Math.round(r.fit * 100)} %)`,
    })),
  );
}
