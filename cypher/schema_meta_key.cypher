// Store-wide settings kept in the database (the erasure salt) have one node per key.
CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:PowermapMeta) REQUIRE m.key IS UNIQUE
