// This store's salt for erasure fingerprints, or null before the first one (erasure_salt.cypher makes it).
OPTIONAL MATCH (m:PowermapMeta {key: 'erasure_salt'})
RETURN m.value AS salt
