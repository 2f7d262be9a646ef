CREATE TABLE "ingest_units" (
	"key" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"papers" integer DEFAULT 0 NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL
);
