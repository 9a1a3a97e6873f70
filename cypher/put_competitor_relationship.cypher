// Create a competitor relationship at the end of its list, or update the one joining the same ends in place.
OPTIONAL MATCH (:Competitor {scope: $scope})-[last:COMPETES_FOR]->(:Stakeholder)
WITH max(last.ord) AS top
MATCH (s:Competitor {scope: $scope, id: $source})
MATCH (t:Stakeholder {scope: $scope, id: $target})
MERGE (s)-[r:COMPETES_FOR]->(t)
  ON CREATE SET r.ord = coalesce(top, -1) + 1
SET r += $props
RETURN r.ord AS ord
