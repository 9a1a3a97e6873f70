// Create a relationship of ours at the end of its list, or update the one joining the same ends in place.
OPTIONAL MATCH (:Member {scope: $scope})-[last:RELATES_TO]->(:Stakeholder)
WITH max(last.ord) AS top
MATCH (s:Member {scope: $scope, id: $source})
MATCH (t:Stakeholder {scope: $scope, id: $target})
MERGE (s)-[r:RELATES_TO]->(t)
  ON CREATE SET r.ord = coalesce(top, -1) + 1
SET r += $props
RETURN r.ord AS ord
