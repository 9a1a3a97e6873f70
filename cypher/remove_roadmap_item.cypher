// Remove one roadmap item (and the voices' lines to it).
OPTIONAL MATCH (r:RoadmapItem {id: $id})
DETACH DELETE r
RETURN count(r) AS removed
