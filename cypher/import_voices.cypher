// One batch of the customer's voices into a staged map version: each hangs off the stakeholder who raised
// it, (:Stakeholder)-[:VOICED]->(:Voice), points at the activity it was heard at, -[:HEARD_AT]->(:Activity),
// and at the roadmap items that answer it, -[:ANSWERED_BY]->(:RoadmapItem). The item ids also stay in the
// voice's `roadmap` property, so the document reads back exactly.
UNWIND $rows AS row
MATCH (s:Stakeholder {scope: $scope, id: row.props.stakeholder})
CREATE (s)-[:VOICED]->(v:Voice:Scoped)
SET v = row.props, v.scope = $scope, v.account = $account, v.ord = row.ord
WITH v, row
CALL (v, row) {
  MATCH (x:Activity {scope: $scope, id: row.props.activity})
  CREATE (v)-[:HEARD_AT]->(x)
}
CALL (v, row) {
  UNWIND row.props.roadmap AS item_id
  MATCH (r:RoadmapItem {id: item_id})
  CREATE (v)-[:ANSWERED_BY]->(r)
}
