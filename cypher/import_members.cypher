// One batch of our team members into a staged map version.
UNWIND $rows AS row
CREATE (n:Member:Scoped)
SET n = row.props, n.scope = $scope, n.account = $account, n.ord = row.ord
