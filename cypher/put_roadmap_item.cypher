// Create a roadmap item at the end of the roadmap, or update the one with this id in place.
OPTIONAL MATCH (last:RoadmapItem)
WITH max(last.ord) AS top
MERGE (r:RoadmapItem {id: $props.id})
  ON CREATE SET r.ord = coalesce(top, -1) + 1
SET r += $props
