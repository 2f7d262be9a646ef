import type { Db } from '../../db/client.js';
import {
  loadModel,
  paperTexts,
  passedOver,
  recentPaperIds,
  type StoredModel,
  saveModel,
  votedPapers,
  voters,
  votesFingerprint,
} from '../../db/repositories/taste.js';
import type { Workspace } from '../domain/types.js';
import { type Example, type LinearModel, probability, train } from './model.js';
import { cosine, Idf, termCounts, type Vector } from './vectors.js';

/** Votes needed before taste counts at all: fewer say too little. */
export const MIN_VOTES = 5;
/** Terms a stored model keeps, the heaviest. */
const KEPT_TERMS = 5000;
/** Digest papers nobody voted for count against, weakly, and only once people had time to vote. */
const PASSED_OVER_WEIGHT = 0.2;
const PASSED_OVER_AFTER_MS = 2 * 86_400_000;

/** A learned taste: how much each term says "wanted", and the papers that taught it. */
export interface Taste {
  model: LinearModel;
  idf: Idf;
  /** Papers voted for, for "like X": their ids. */
  positives: string[];
  votes: number;
}

/** Where a taste is kept: the workspace's team, or one person in it. */
export function tasteScope(ws: Workspace, userId?: string): string {
  return userId ? `user:${ws.platform}:${ws.workspaceId}:${userId}` : `ws:${ws.platform}:${ws.workspaceId}`;
}

/**
 * The taste of a workspace's team (or one person), trained again when the votes changed since it was
 * last trained, else read back as stored; null while there are fewer than MIN_VOTES votes.
 */
export async function tasteOf(db: Db, ws: Workspace, now: Date, userId?: string): Promise<Taste | null> {
  const scope = tasteScope(ws, userId);
  const [fingerprint, stored] = await Promise.all([votesFingerprint(db, ws, userId), loadModel(db, scope)]);
  if (stored?.fingerprint === fingerprint) return fromStored(stored);
  const voted = await votedPapers(db, ws, userId);
  if (voted.length < MIN_VOTES) {
    await saveModel(db, { scope, fingerprint, model: { bias: 0, terms: [], positives: [] }, trainedAt: now });
    return null;
  }
  const votedIds = new Set(voted.map((v) => v.paperId));
  const passed = (
    await passedOver(db, ws, new Date(now.getTime() - PASSED_OVER_AFTER_MS), Math.max(50, 3 * voted.length))
  ).filter((id) => !votedIds.has(id));
  // Rarity is the library's, not the votes': read among recent papers too, or the very words the
  // team keeps voting for would count as common.
  const library = (await recentPaperIds(db, now, 30)).filter((id) => !votedIds.has(id));
  const texts = new Map((await paperTexts(db, [...votedIds, ...passed, ...library])).map((t) => [t.id, t]));
  const counts = new Map([...texts].map(([id, t]) => [id, termCounts(t)]));
  const idf = new Idf(counts.values());
  const examples: Example[] = [];
  for (const v of voted) {
    const c = counts.get(v.paperId);
    if (c)
      examples.push({ vector: idf.vector(c), positive: v.votes > 0, weight: Math.min(3, Math.abs(v.votes)) });
  }
  for (const id of passed) {
    const c = counts.get(id);
    if (c) examples.push({ vector: idf.vector(c), positive: false, weight: PASSED_OVER_WEIGHT });
  }
  const model = train(examples);
  const positives = voted.filter((v) => v.votes > 0).map((v) => v.paperId);
  const taste: Taste = { model: pruned(model), idf, positives, votes: voted.length };
  await saveModel(db, { scope, fingerprint, model: toStored(taste), trainedAt: now });
  return taste;
}

function pruned(model: LinearModel): LinearModel {
  const kept = [...model.weights].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, KEPT_TERMS);
  return { bias: model.bias, weights: new Map(kept) };
}

function toStored(taste: Taste): StoredModel['model'] {
  return {
    bias: taste.model.bias,
    terms: [...taste.model.weights].map(([term, w]) => [term, w, taste.idf.of(term)]),
    positives: taste.positives,
  };
}

function fromStored(stored: StoredModel): Taste | null {
  const { bias, terms, positives } = stored.model;
  if (terms.length === 0) return null;
  return {
    model: { bias, weights: new Map(terms.map(([term, w]) => [term, w])) },
    idf: new Idf(
      [],
      terms.map(([term, , idf]) => [term, idf]),
    ),
    positives,
    votes: positives.length,
  };
}

/**
 * The tastes a team's digest serves: the team's as a whole, and each person's who has voted enough (a
 * team is several people, and a paper one of them keenly wants belongs in its digest).
 */
export async function teamTastes(db: Db, ws: Workspace, now: Date): Promise<Taste[]> {
  const people = await voters(db, ws, MIN_VOTES);
  const tastes = await Promise.all([tasteOf(db, ws, now), ...people.map((id) => tasteOf(db, ws, now, id))]);
  return tastes.filter((t): t is Taste => t !== null);
}

/** How much a paper (its `termCounts`) fits a taste: a probability that it is wanted. */
export function tasteFit(taste: Taste, terms: Map<string, number>): number {
  return probability(taste.model, taste.idf.vector(terms));
}

/** The papers a taste learned from, as vectors, to say which a paper is like. */
export async function positiveVectors(db: Db, taste: Taste): Promise<{ title: string; vector: Vector }[]> {
  const texts = await paperTexts(db, taste.positives);
  return texts.map((t) => ({ title: t.title, vector: taste.idf.vector(termCounts(t)) }));
}

/**
 * `like “EvoArena” and 2 more the team voted for`: the voted papers a paper is close to (cosine above
 * `minimum`), the closest named; null when it is close to none.
 */
export function likeReason(
  taste: Taste,
  terms: Map<string, number>,
  liked: { title: string; vector: Vector }[],
  who: string,
  minimum = LIKE_MINIMUM,
): string | null {
  const close = closestLiked(taste, terms, liked).filter((l) => l.similarity >= minimum);
  if (close.length === 0) return null;
  const [first] = close;
  const more = close.length > 1 ? ` and ${close.length - 1} more` : '';
  return `like “${shortTitle(first!.title)}”${more} ${who}`;
}

/** How close a paper must be to one voted for to be called like it. */
const LIKE_MINIMUM = 0.1;

/** The papers a taste learned from, closest to this one (its `termCounts`) first, with their cosine. */
export function closestLiked(
  taste: Taste,
  terms: Map<string, number>,
  liked: { title: string; vector: Vector }[],
): { title: string; similarity: number }[] {
  const vector = taste.idf.vector(terms);
  return liked
    .map((l) => ({ title: l.title, similarity: cosine(vector, l.vector) }))
    .sort((a, b) => b.similarity - a.similarity);
}

/** A title's name part, before its colon: `EvoArena: Tracking …` → `EvoArena`. */
export function shortTitle(title: string): string {
  const head = title.split(':')[0]!.trim();
  return head.length >= 3 && head.length <= 60 ? head : title.length <= 60 ? title : `${title.slice(0, 57)}…`;
}
