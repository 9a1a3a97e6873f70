// One batch of activities into a staged map version.
UNWIND $rows AS row
CREATE (n:Activity:Scoped)
SET n = row.props, n.scope = $scope, n.account = $account, n.ord = row.ord
