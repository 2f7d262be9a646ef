CREATE TABLE "ballot_votes" (
	"session_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"choice" smallint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ballot_votes_session_id_user_id_pk" PRIMARY KEY("session_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "presenters" (
	"channel_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"user_name" text,
	"position" integer NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "presenters_channel_id_user_id_pk" PRIMARY KEY("channel_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "rsvps" (
	"session_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"user_name" text,
	"going" boolean NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rsvps_session_id_user_id_pk" PRIMARY KEY("session_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "session_notes" (
	"session_id" integer NOT NULL,
	"message_id" text NOT NULL,
	"user_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_notes_session_id_message_id_pk" PRIMARY KEY("session_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "session_steps" (
	"session_id" integer NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"message_id" text,
	"finished_at" timestamp with time zone,
	CONSTRAINT "session_steps_session_id_kind_pk" PRIMARY KEY("session_id","kind")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"local_date" date NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"presenter_id" text,
	"presenter_name" text,
	"paper_id" text,
	"chosen_by" text,
	"where" text,
	"ballot_paper_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"ballot_message_id" text,
	"ballot_closed_at" timestamp with time zone,
	"pick_message_id" text,
	"event_id" text,
	"held_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_day" smallint DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_time" text DEFAULT '15:00' NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_timezone" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_cadence" text DEFAULT 'weekly' NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_anchor" date;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_minutes" smallint DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "session_where" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "ballot_days" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "ballot_votes" ADD CONSTRAINT "ballot_votes_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "presenters" ADD CONSTRAINT "presenters_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notes" ADD CONSTRAINT "session_notes_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_steps" ADD CONSTRAINT "session_steps_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_channel_date_uq" ON "sessions" USING btree ("channel_id","local_date");--> statement-breakpoint
CREATE INDEX "sessions_ballot_message_idx" ON "sessions" USING btree ("ballot_message_id");--> statement-breakpoint
CREATE INDEX "sessions_pick_message_idx" ON "sessions" USING btree ("pick_message_id");--> statement-breakpoint
CREATE INDEX "sessions_event_idx" ON "sessions" USING btree ("event_id");