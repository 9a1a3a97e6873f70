// One batch of our team's relationships into a staged map version.
UNWIND $rows AS row
MATCH (s:Member {scope: $scope, id: row.source})
MATCH (t:Stakeholder {scope: $scope, id: row.target})
CREATE (s)-[r:RELATES_TO]->(t)
SET r = row.props, r.ord = row.ord
