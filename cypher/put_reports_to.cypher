// Create a reporting line at the end of its list, or update the one joining the same ends in place.
OPTIONAL MATCH (:Stakeholder {scope: $scope})-[last:REPORTS_TO]->(:Stakeholder)
WITH max(last.ord) AS top
MATCH (s:Stakeholder {scope: $scope, id: $source})
MATCH (t:Stakeholder {scope: $scope, id: $target})
MERGE (s)-[r:REPORTS_TO]->(t)
  ON CREATE SET r.ord = coalesce(top, -1) + 1
SET r += $props
RETURN r.ord AS ord
