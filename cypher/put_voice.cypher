// Create a voice at the end of its list, or update the one with this id in place; its lines to the
// stakeholder, the activity and the roadmap items are redrawn. Returns how many roadmap items it reached
// (fewer than named means one was removed meanwhile).
OPTIONAL MATCH (last:Voice {scope: $scope})
WITH max(last.ord) AS top
MATCH (s:Stakeholder {scope: $scope, id: $props.stakeholder})
MERGE (v:Voice:Scoped {scope: $scope, id: $props.id})
  ON CREATE SET v.account = $account, v.ord = coalesce(top, -1) + 1
SET v += $props
WITH v, s
CALL (v) {
  MATCH (v)-[old:HEARD_AT|ANSWERED_BY]->()
  DELETE old
}
CALL (v) {
  MATCH (:Stakeholder)-[old:VOICED]->(v)
  DELETE old
}
CREATE (s)-[:VOICED]->(v)
WITH v
CALL (v) {
  MATCH (x:Activity {scope: $scope, id: $props.activity})
  CREATE (v)-[:HEARD_AT]->(x)
}
CALL (v) {
  UNWIND $props.roadmap AS item_id
  MATCH (r:RoadmapItem {id: item_id})
  CREATE (v)-[:ANSWERED_BY]->(r)
  RETURN count(r) AS reached
}
RETURN reached
