// A map version is gone entirely: drop its marker.
MATCH (s:Scope {id: $scope})
DELETE s
