-- The smallest GIN pending lists (64 kB): every search reads the whole list, and PGlite has no
-- autovacuum to merge it, so at the 4 MB default searches after an ingest were 2–3× slower.
-- ALTER rather than a rebuild: the indexes stay as they are, and what is pending now is merged once.
ALTER INDEX "papers_search_idx" SET (gin_pending_list_limit = 64);--> statement-breakpoint
ALTER INDEX "papers_title_search_idx" SET (gin_pending_list_limit = 64);--> statement-breakpoint
ALTER INDEX "papers_title_trgm_idx" SET (gin_pending_list_limit = 64);--> statement-breakpoint
ALTER INDEX "papers_categories_idx" SET (gin_pending_list_limit = 64);--> statement-breakpoint
ALTER INDEX "search_terms_trgm_idx" SET (gin_pending_list_limit = 64);--> statement-breakpoint
SELECT gin_clean_pending_list('papers_search_idx'::regclass), gin_clean_pending_list('papers_title_search_idx'::regclass),
  gin_clean_pending_list('papers_title_trgm_idx'::regclass), gin_clean_pending_list('papers_categories_idx'::regclass),
  gin_clean_pending_list('search_terms_trgm_idx'::regclass);
