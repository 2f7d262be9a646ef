CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
-- Lower case, no accents, no TeX markup: `H$_2$O` reads as `h2o`, `Schrödinger` as `schrodinger`.
-- The dictionary is named explicitly so the function is truly immutable (usable in generated columns).
CREATE OR REPLACE FUNCTION papers_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN regexp_replace(public.unaccent('public.unaccent'::regdictionary, lower(t)), '[\\$^_{}]', '', 'g');--> statement-breakpoint
CREATE OR REPLACE FUNCTION papers_search_vector(title text, keywords jsonb, abstract text, authors jsonb)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN setweight(to_tsvector('english'::regconfig, coalesce(papers_fold(title), '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(papers_fold(keywords::text), '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(papers_fold(abstract), '')), 'C')
    || setweight(to_tsvector('simple'::regconfig, coalesce(papers_fold(authors::text), '')), 'D');--> statement-breakpoint
CREATE TABLE "search_terms" (
	"term" text PRIMARY KEY NOT NULL,
	"docs" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "papers" drop column "search_vector";--> statement-breakpoint
ALTER TABLE "papers" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (papers_search_vector(title, keywords, abstract, authors)) STORED;--> statement-breakpoint
ALTER TABLE "papers" ADD COLUMN "title_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('english'::regconfig, papers_fold(title))) STORED;--> statement-breakpoint
CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "papers_search_idx" ON "papers" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "papers_title_search_idx" ON "papers" USING gin ("title_vector");--> statement-breakpoint
CREATE INDEX "papers_title_trgm_idx" ON "papers" USING gin (papers_fold("title") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "papers_categories_idx" ON "papers" USING gin ("categories");--> statement-breakpoint
-- Words of the papers already in the library; ingest keeps the table up to date from here on.
INSERT INTO "search_terms" ("term", "docs")
  SELECT word, count(*)::int FROM "papers",
    unnest(to_tsvector('simple'::regconfig, papers_fold(title || ' ' || keywords::text || ' ' || abstract || ' ' || authors::text))) AS u(word)
  GROUP BY word;
