// The store's roadmap revision (0 before its first write).
OPTIONAL MATCH (m:PowermapMeta {key: 'roadmap_revision'})
RETURN coalesce(m.value, 0) AS revision
