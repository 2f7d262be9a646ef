CREATE TABLE "channel_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"kind" text NOT NULL,
	"local_date" date NOT NULL,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discussions" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"paper_id" text NOT NULL,
	"votes" integer DEFAULT 0 NOT NULL,
	"discussed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"discussed_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scheduler_leases" (
	"key" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "shares" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"paper_id" text NOT NULL,
	"user_id" text NOT NULL,
	"user_name" text,
	"source_message_id" text NOT NULL,
	"post_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "empty_note" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "pick_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "pick_day" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "pick_time" text DEFAULT '15:00' NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "recap_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_events" ADD CONSTRAINT "channel_events_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discussions" ADD CONSTRAINT "discussions_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_events_uq" ON "channel_events" USING btree ("channel_id","kind","local_date");--> statement-breakpoint
CREATE UNIQUE INDEX "discussions_paper_uq" ON "discussions" USING btree ("platform","workspace_id","paper_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shares_source_uq" ON "shares" USING btree ("channel_id","source_message_id","paper_id");--> statement-breakpoint
CREATE INDEX "shares_paper_idx" ON "shares" USING btree ("paper_id");--> statement-breakpoint
CREATE INDEX "papers_trend_at_idx" ON "papers" USING btree (coalesce("hf_featured_at", "published_at"));