-- Every batch of papers stored raises the counts of thousands of words already in the vocabulary. Pages
-- kept 30% free let such an update write the row's new version beside the old one (a HOT update),
-- without new entries in the term's btree and trigram indexes: with full pages about half the updates
-- had to add them. It holds for pages written from now on.
ALTER TABLE "search_terms" SET (fillfactor = 70);
