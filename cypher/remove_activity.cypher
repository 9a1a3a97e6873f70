// Remove one activity.
OPTIONAL MATCH (n:Activity {scope: $scope, id: $id})
DELETE n
RETURN count(n) AS removed
