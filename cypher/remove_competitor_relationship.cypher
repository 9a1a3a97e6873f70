// Remove one competitor relationship.
OPTIONAL MATCH (:Competitor {scope: $scope, id: $source})-[r:COMPETES_FOR]->(:Stakeholder {scope: $scope, id: $target})
DELETE r
RETURN count(r) AS removed
