// Delete up to $limit nodes (with their lines) of a map version that is no longer live.
MATCH (n:Scoped {scope: $scope})
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
