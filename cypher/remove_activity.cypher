// Remove one activity; voices heard at it keep everything but the reference.
OPTIONAL MATCH (n:Activity {scope: $scope, id: $id})
CALL (n) {
  WITH n WHERE n IS NOT NULL
  MATCH (v:Voice)-[:HEARD_AT]->(n)
  SET v.activity = null
}
DETACH DELETE n
RETURN count(n) AS removed
