// Remove a team member, their relationships, and their id from activities.
OPTIONAL MATCH (n:Member {scope: $scope, id: $id})
CALL (n) {
  WITH n WHERE n IS NOT NULL
  MATCH (x:Activity {scope: $scope}) WHERE $id IN x.members
  SET x.members = [i IN x.members WHERE i <> $id]
}
DETACH DELETE n
RETURN count(n) AS removed
