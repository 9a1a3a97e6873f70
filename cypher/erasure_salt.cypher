// This store's salt for erasure fingerprints: created once (from $salt), then always the same.
MERGE (m:PowermapMeta {key: 'erasure_salt'})
  ON CREATE SET m.value = $salt
RETURN m.value AS salt
