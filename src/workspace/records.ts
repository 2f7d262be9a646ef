import { z } from 'zod';

const date = z.coerce.date();
const platform = z.enum(['slack', 'discord', 'console']);

/** One line of a workspace export: everything a team did, enough to rebuild it in an empty database. */
export const exportRecordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('channel'),
    platform,
    workspaceId: z.string(),
    channelId: z.string(),
    name: z.string().nullable(),
    settings: z.object({
      digestEnabled: z.boolean(),
      digestTime: z.string(),
      timezone: z.string(),
      days: z.array(z.number().int().min(0).max(6)),
      digestSize: z.number().int().min(1).max(20),
      follows: z.array(z.string()),
      mutes: z.array(z.string()),
      emptyNote: z.boolean(),
      pickEnabled: z.boolean(),
      pickDay: z.number().int().min(0).max(6),
      pickTime: z.string(),
      recapEnabled: z.boolean(),
      // Settings added later: absent in older exports, where the defaults hold.
      tasteSlots: z.number().int().min(0).max(19).optional(),
      alertVotes: z.number().int().min(0).max(20).optional(),
      voteWith: z.enum(['reactions', 'buttons', 'both']).optional(),
    }),
  }),
  z.object({
    type: z.literal('paper'),
    id: z.string(),
    arxivId: z.string().nullable(),
    title: z.string(),
    abstract: z.string(),
    authors: z.array(z.string()),
    categories: z.array(z.string()),
    publishedAt: date.nullable(),
    url: z.string().nullable(),
  }),
  z.object({
    type: z.literal('post'),
    channelId: z.string(),
    messageId: z.string(),
    paperId: z.string(),
    kind: z.enum(['digest', 'share', 'pick']),
    threadId: z.string().nullable(),
    postedBy: z.string().nullable(),
    createdAt: date,
  }),
  z.object({
    type: z.literal('vote'),
    channelId: z.string(),
    messageId: z.string(),
    userId: z.string(),
    emoji: z.string(),
    weight: z.number().int(),
    active: z.boolean(),
    eventAt: date,
  }),
  z.object({
    type: z.literal('share'),
    channelId: z.string(),
    paperId: z.string(),
    userId: z.string(),
    userName: z.string().nullable(),
    sourceMessageId: z.string(),
    createdAt: date,
  }),
  z.object({
    type: z.literal('saved'),
    platform,
    workspaceId: z.string(),
    userId: z.string(),
    paperId: z.string(),
    savedAt: date,
  }),
  z.object({
    type: z.literal('person'),
    platform,
    workspaceId: z.string(),
    userId: z.string(),
    weeklyReadingList: z.boolean(),
  }),
  z.object({
    type: z.literal('discussion'),
    platform,
    workspaceId: z.string(),
    paperId: z.string(),
    votes: z.number().int(),
    discussedAt: date,
    discussedBy: z.string(),
  }),
]);

export type ExportRecord = z.infer<typeof exportRecordSchema>;
