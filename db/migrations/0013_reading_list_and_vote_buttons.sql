CREATE TABLE "people" (
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"weekly_reading_list" boolean DEFAULT true NOT NULL,
	CONSTRAINT "people_platform_workspace_id_user_id_pk" PRIMARY KEY("platform","workspace_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "reading_list_messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"week" date NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_papers" (
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"paper_id" text NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_papers_platform_workspace_id_user_id_paper_id_pk" PRIMARY KEY("platform","workspace_id","user_id","paper_id")
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "vote_with" text DEFAULT 'reactions' NOT NULL;--> statement-breakpoint
ALTER TABLE "digest_runs" ADD COLUMN "vote_hint_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "saved_papers" ADD CONSTRAINT "saved_papers_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reading_list_messages_uq" ON "reading_list_messages" USING btree ("platform","workspace_id","user_id","week");