// Remove one influence line.
OPTIONAL MATCH (:Stakeholder {scope: $scope, id: $source})-[r:INFLUENCES]->(:Stakeholder {scope: $scope, id: $target})
DELETE r
RETURN count(r) AS removed
