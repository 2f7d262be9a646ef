import type { ChannelRow } from '../../db/repositories/channels.js';
import {
  addPresenters,
  type Presenter,
  removePresenters,
  reorderPresenters,
  rotation,
} from '../../db/repositories/presenters.js';
import { UserError } from '../domain/errors.js';
import { mention } from '../domain/present.js';
import type { UserRef } from '../domain/types.js';
import { type ActionDeps, presenterChanged } from './actions.js';
import { planOf, when } from './plan.js';
import { nextSession } from './timeline.js';

const who = (p: { userId: string }) => mention({ id: p.userId });

/** The rotation, each person with the session they present at (when sessions are set). */
export async function describeRotation(deps: ActionDeps, channel: ChannelRow): Promise<string> {
  const people = await rotation(deps.db, channel.id);
  if (people.length === 0) {
    return 'Nobody is in the presenter rotation yet. An admin adds people with `/papers presenters add @ada @grace`.';
  }
  const plan = planOf(channel);
  const lines = people.map((p, i) => {
    const at = plan ? ` — ${when(nextSession(plan, deps.now(), i).start, plan.timezone)}` : '';
    return `${i + 1}. ${who(p)}${at}`;
  });
  return ['Presenters, next first:', ...lines].join('\n');
}

const asPresenter = (user: UserRef): Presenter => ({ userId: user.id, userName: user.name ?? null });

/** Each person once, in the order first named. */
const once = (users: UserRef[]) => users.filter((u, i) => users.findIndex((v) => v.id === u.id) === i);

export async function addToRotation(
  deps: ActionDeps,
  channel: ChannelRow,
  named: UserRef[],
): Promise<string> {
  const users = once(named);
  const added = await addPresenters(deps.db, channel.id, users.map(asPresenter));
  if (added.length === 0)
    throw new UserError(`${users.map((u) => mention(u)).join(', ')}: already in the rotation.`);
  await presenterChanged(deps, channel);
  const already = users.filter((u) => !added.some((a) => a.userId === u.id));
  const note = already.length ? ` (${already.map((u) => mention(u)).join(', ')} already in it)` : '';
  return `Added ${added.map(who).join(', ')} to the rotation${note}.\n${await describeRotation(deps, channel)}`;
}

export async function removeFromRotation(
  deps: ActionDeps,
  channel: ChannelRow,
  named: UserRef[],
): Promise<string> {
  const users = once(named);
  const removed = await removePresenters(
    deps.db,
    channel.id,
    users.map((u) => u.id),
  );
  if (removed.length === 0)
    throw new UserError(`${users.map((u) => mention(u)).join(', ')}: not in the rotation.`);
  await presenterChanged(deps, channel);
  return `Removed ${removed.map(who).join(', ')} from the rotation.\n${await describeRotation(deps, channel)}`;
}

/** The next presenter sits this one out and goes first next time. */
export async function skipPresenter(deps: ActionDeps, channel: ChannelRow): Promise<string> {
  const people = await rotation(deps.db, channel.id);
  const [first, second, ...rest] = people;
  if (!first || !second) {
    throw new UserError(
      'Skipping needs at least two people in the rotation: `/papers presenters add @name`.',
    );
  }
  await reorderPresenters(
    deps.db,
    channel.id,
    [second, first, ...rest].map((p) => p.userId),
  );
  await presenterChanged(deps, channel);
  return `${who(second)} presents next; ${who(first)} goes first after that.`;
}

export async function swapPresenters(
  deps: ActionDeps,
  channel: ChannelRow,
  a: UserRef,
  b: UserRef,
): Promise<string> {
  if (a.id === b.id)
    throw new UserError('Swap two different people, e.g. `/papers presenters swap @ada @grace`.');
  const people = await rotation(deps.db, channel.id);
  const order = people.map((p) => p.userId);
  const i = order.indexOf(a.id);
  const j = order.indexOf(b.id);
  const missing = [i < 0 ? a : null, j < 0 ? b : null].filter((u): u is UserRef => u !== null);
  if (missing.length > 0) {
    throw new UserError(
      `${missing.map((u) => mention(u)).join(' and ')} not in the rotation: add first with \`/papers presenters add\`.`,
    );
  }
  [order[i], order[j]] = [order[j]!, order[i]!];
  await reorderPresenters(deps.db, channel.id, order);
  await presenterChanged(deps, channel);
  return `Swapped ${mention(a)} and ${mention(b)}.\n${await describeRotation(deps, channel)}`;
}
