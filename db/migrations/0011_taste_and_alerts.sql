CREATE TABLE "paper_alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"paper_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "taste_models" (
	"scope" text PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"model" jsonb NOT NULL,
	"trained_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "taste_slots" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "alert_votes" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "papers" ADD COLUMN "version_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "papers" ADD COLUMN "code_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "papers" ADD COLUMN "arxiv_comment" text;--> statement-breakpoint
ALTER TABLE "paper_alerts" ADD CONSTRAINT "paper_alerts_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_alerts" ADD CONSTRAINT "paper_alerts_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "paper_alerts_uq" ON "paper_alerts" USING btree ("channel_id","paper_id","kind","key");