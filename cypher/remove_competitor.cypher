// Remove a competitor and its relationships.
OPTIONAL MATCH (n:Competitor {scope: $scope, id: $id})
DETACH DELETE n
RETURN count(n) AS removed
