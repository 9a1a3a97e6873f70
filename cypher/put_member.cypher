// Create a member at the end of its list, or update the one with this id in place.
OPTIONAL MATCH (last:Member {scope: $scope})
WITH max(last.ord) AS top
MERGE (n:Member:Scoped {scope: $scope, id: $props.id})
  ON CREATE SET n.account = $account, n.ord = coalesce(top, -1) + 1
SET n += $props
RETURN n.ord AS ord
