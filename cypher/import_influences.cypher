// One batch of influence lines into a staged map version.
UNWIND $rows AS row
MATCH (s:Stakeholder {scope: $scope, id: row.source})
MATCH (t:Stakeholder {scope: $scope, id: row.target})
CREATE (s)-[r:INFLUENCES]->(t)
SET r = row.props, r.ord = row.ord
