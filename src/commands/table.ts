import { createCatalog } from './catalog.js';
import type { Command } from './define.js';
import { digest } from './digest.js';
import { digestEnabled } from './digest-enabled.js';
import { discussed } from './discussed.js';
import { emptyNote } from './empty-note.js';
import { help } from './help.js';
import { history } from './history.js';
import { pick } from './pick.js';
import { pickSchedule } from './pick-schedule.js';
import { presenters, presentersChange } from './presenters.js';
import { saveCommand, savedCommand, savedWeekly, unsaveCommand, upvote, voteWith } from './reading.js';
import { recap } from './recap.js';
import { rsvp } from './rsvp.js';
import { schedule } from './schedule.js';
import { search } from './search.js';
import { session, sessionSet, sessionWhere } from './session.js';
import { settings } from './settings.js';
import { share } from './share.js';
import { forMeCommand, similar } from './similar.js';
import { size } from './size.js';
import { alertVotes, tasteSlots } from './taste-settings.js';
import { top } from './top.js';
import { follow, mute, unfollow, unmute } from './topics.js';
import { undiscussed } from './undiscussed.js';
import { vote } from './vote.js';

/**
 * Every command, in the order help lists them. The text parser, `/papers help`, the Slack manifest's
 * usage hint, the Discord registration and who sees each answer all come from these rows.
 */
export const COMMANDS: readonly Command[] = [
  search,
  similar,
  forMeCommand,
  top,
  share,
  upvote,
  saveCommand,
  unsaveCommand,
  savedCommand,
  savedWeekly,
  pick,
  discussed,
  undiscussed,
  history,
  session,
  presenters,
  vote,
  rsvp,
  digest,
  settings,
  help,
  digestEnabled,
  schedule,
  size,
  follow,
  unfollow,
  mute,
  unmute,
  pickSchedule,
  sessionSet,
  sessionWhere,
  presentersChange,
  recap,
  tasteSlots,
  alertVotes,
  voteWith,
  emptyNote,
];

export const commandTable = createCatalog(COMMANDS);
