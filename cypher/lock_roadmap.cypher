// Start a write of the store's roadmap: lock its revision (one node), move it on, and say what it was.
MERGE (m:PowermapMeta {key: 'roadmap_revision'})
  ON CREATE SET m.value = 0
SET m.value = m.value + 1
RETURN m.value - 1 AS previous
