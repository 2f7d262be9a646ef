-- Long values (abstracts, summaries, search vectors) are compressed with lz4 where the server has it:
-- it costs a fraction of the CPU of the default pglz, on every paper stored and every one read.
-- Values already stored keep their compression; PGlite, built without lz4, keeps pglz.
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE "papers"
      ALTER COLUMN "abstract" SET COMPRESSION lz4,
      ALTER COLUMN "ai_summary" SET COMPRESSION lz4,
      ALTER COLUMN "search_vector" SET COMPRESSION lz4;
  END IF;
END
$$;
