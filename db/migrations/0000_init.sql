CREATE TABLE "channels" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"name" text,
	"digest_enabled" boolean DEFAULT true NOT NULL,
	"digest_time" text DEFAULT '09:00' NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"days" jsonb DEFAULT '[1,2,3,4,5]'::jsonb NOT NULL,
	"digest_size" integer DEFAULT 5 NOT NULL,
	"follows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mutes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"local_date" date NOT NULL,
	"status" text DEFAULT 'posting' NOT NULL,
	"paper_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reasons" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"parent_message_id" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "papers" (
	"id" text PRIMARY KEY NOT NULL,
	"arxiv_id" text,
	"version" integer,
	"title" text NOT NULL,
	"abstract" text DEFAULT '' NOT NULL,
	"authors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"categories" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"published_at" timestamp with time zone,
	"url" text,
	"pdf_url" text,
	"thumbnail" text,
	"hf_upvotes" integer DEFAULT 0 NOT NULL,
	"hf_comments" integer DEFAULT 0 NOT NULL,
	"hf_featured_at" timestamp with time zone,
	"ai_summary" text,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"github_repo" text,
	"github_stars" integer,
	"project_page" text,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(abstract, '')), 'C')) STORED
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"paper_id" text NOT NULL,
	"kind" text NOT NULL,
	"message_id" text NOT NULL,
	"thread_id" text,
	"digest_run_id" integer,
	"posted_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"id" serial PRIMARY KEY NOT NULL,
	"post_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"emoji" text NOT NULL,
	"weight" smallint DEFAULT 1 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"event_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "digest_runs" ADD CONSTRAINT "digest_runs_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_digest_run_id_digest_runs_id_fk" FOREIGN KEY ("digest_run_id") REFERENCES "public"."digest_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channels_platform_ref_uq" ON "channels" USING btree ("platform","workspace_id","channel_id");--> statement-breakpoint
CREATE UNIQUE INDEX "digest_runs_channel_date_uq" ON "digest_runs" USING btree ("channel_id","local_date");--> statement-breakpoint
CREATE INDEX "papers_search_idx" ON "papers" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "papers_published_idx" ON "papers" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "papers_trending_idx" ON "papers" USING btree ("hf_upvotes");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_message_uq" ON "posts" USING btree ("channel_id","message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_run_paper_uq" ON "posts" USING btree ("digest_run_id","paper_id");--> statement-breakpoint
CREATE INDEX "posts_channel_paper_idx" ON "posts" USING btree ("channel_id","paper_id");--> statement-breakpoint
CREATE UNIQUE INDEX "votes_post_user_emoji_uq" ON "votes" USING btree ("post_id","user_id","emoji");