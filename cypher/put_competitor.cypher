// Create a competitor at the end of its list, or update the one with this id in place.
OPTIONAL MATCH (last:Competitor {scope: $scope})
WITH max(last.ord) AS top
MERGE (n:Competitor:Scoped {scope: $scope, id: $props.id})
  ON CREATE SET n.account = $account, n.ord = coalesce(top, -1) + 1
SET n += $props
RETURN n.ord AS ord
