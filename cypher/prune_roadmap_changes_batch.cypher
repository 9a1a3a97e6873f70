// Retention: delete up to $limit entries of the roadmap's change log recorded before $cutoff (ISO 8601,
// UTC). The roadmap's revision lives in its meta node, so it never goes back.
MATCH (c:RoadmapChange)
WHERE c.at < $cutoff
WITH c LIMIT $limit
DETACH DELETE c
RETURN count(*) AS deleted
