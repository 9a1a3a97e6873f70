// Remove one reporting line.
OPTIONAL MATCH (:Stakeholder {scope: $scope, id: $source})-[r:REPORTS_TO]->(:Stakeholder {scope: $scope, id: $target})
DELETE r
RETURN count(r) AS removed
