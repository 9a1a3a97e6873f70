// Remove a stakeholder, every line touching it, the voices they raised, and their id from activities.
OPTIONAL MATCH (n:Stakeholder {scope: $scope, id: $id})
CALL (n) {
  WITH n WHERE n IS NOT NULL
  MATCH (x:Activity {scope: $scope}) WHERE $id IN x.stakeholders
  SET x.stakeholders = [i IN x.stakeholders WHERE i <> $id]
}
CALL (n) {
  WITH n WHERE n IS NOT NULL
  MATCH (n)-[:VOICED]->(v:Voice)
  DETACH DELETE v
}
DETACH DELETE n
RETURN count(n) AS removed
