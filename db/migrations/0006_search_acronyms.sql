CREATE TABLE "search_acronyms" (
	"acronym" text NOT NULL,
	"lexemes" text NOT NULL,
	"phrase" text NOT NULL,
	"docs" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "search_acronyms_acronym_lexemes_pk" PRIMARY KEY("acronym","lexemes")
);
