// Remove one relationship of ours.
OPTIONAL MATCH (:Member {scope: $scope, id: $source})-[r:RELATES_TO]->(:Stakeholder {scope: $scope, id: $target})
DELETE r
RETURN count(r) AS removed
