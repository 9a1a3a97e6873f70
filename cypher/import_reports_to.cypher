// One batch of reporting lines (subordinate -> manager) into a staged map version.
UNWIND $rows AS row
MATCH (s:Stakeholder {scope: $scope, id: row.source})
MATCH (t:Stakeholder {scope: $scope, id: row.target})
CREATE (s)-[r:REPORTS_TO]->(t)
SET r = row.props, r.ord = row.ord
