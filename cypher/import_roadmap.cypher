// Write the whole roadmap: every item of $rows is created or updated in place (so the voices' ANSWERED_BY
// lines to it stay), every item not in $rows is removed.
CALL {
  MATCH (old:RoadmapItem)
  WHERE NOT old.id IN [row IN $rows | row.props.id]
  DETACH DELETE old
}
UNWIND $rows AS row
MERGE (r:RoadmapItem {id: row.props.id})
SET r = row.props, r.ord = row.ord
