// Remove one voice (and its lines).
OPTIONAL MATCH (n:Voice {scope: $scope, id: $id})
DETACH DELETE n
RETURN count(n) AS removed
