// Our roadmap, in stored order.
MATCH (r:RoadmapItem)
RETURN r {.*} AS item
ORDER BY r.ord
