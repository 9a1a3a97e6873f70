// One batch of competitors' relationships into a staged map version.
UNWIND $rows AS row
MATCH (s:Competitor {scope: $scope, id: row.source})
MATCH (t:Stakeholder {scope: $scope, id: row.target})
CREATE (s)-[r:COMPETES_FOR]->(t)
SET r = row.props, r.ord = row.ord
