-- The application folds letters that have no accent to strip (ø, ł, ß, æ) as unaccent does, and this
-- function reads text as the application does (unaccent's few capital outputs are lowered too).
CREATE OR REPLACE FUNCTION papers_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, lower(t))), '[\\$^_{}]', '', 'g');--> statement-breakpoint
-- Papers with such letters are indexed again when the application starts, and the vocabulary is
-- counted again with them.
UPDATE "papers" SET "search_vector" = NULL, "title_vector" = NULL
  WHERE lower("title" || ' ' || "abstract" || ' ' || "keywords"::text || ' ' || "authors"::text) ~ '[ßæðøþđħıĸŀłŉŋœŧƀƃƈƌƒƕƙƚƞƣƥƫƭƴƶǥȡȥȴȵȶȷȸȹȼȿɀɇɉɍɏɓɕɖɗɛɟɠɡɢɦɧɨɪɫɬɭɱɲɳɴɶɼɽɾʀʂʈʉʋʏʐʑʙʛʜʝʟʠʣʥʦʪʫʹʺʻʼʽˆˈˋːᴀᴁᴃᴄᴅᴆᴇᴊᴋᴌᴍᴏᴘᴛᴜᴠᴡᴢᵫᵬᵭᵮᵯᵰᵱᵲᵳᵴᵵᵶᵺᵻᵽᵾᶀᶁᶂᶃᶄᶅᶆᶇᶈᶉᶊᶌᶍᶎᶏᶑᶒᶓᶖᶙẚẜẝỻỽỿℌⱡⱥⱦⱨⱪⱬⱱⱳⱴⱸⱺꜰꜱꜳꜵꜷꜹꜻꜽꝁꝃꝅꝇꝉꝋꝍꝏꝑꝓꝕꝗꝙꝟꝡꝥꝧꝱꝲꝳꝴꝵꝶꝷꝺꝼꞇꞑꞓꞡꞣꞥꞧꞩ]';--> statement-breakpoint
DELETE FROM "search_terms" WHERE EXISTS (SELECT 1 FROM "papers" WHERE "search_vector" IS NULL);
