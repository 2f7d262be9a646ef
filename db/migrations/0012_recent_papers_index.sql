DROP INDEX "papers_trend_at_idx";--> statement-breakpoint
CREATE INDEX "papers_trend_at_idx" ON "papers" USING btree (coalesce("hf_featured_at", "published_at") desc nulls last);