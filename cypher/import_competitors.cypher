// One batch of competitors into a staged map version.
UNWIND $rows AS row
CREATE (n:Competitor:Scoped)
SET n = row.props, n.scope = $scope, n.account = $account, n.ord = row.ord
