// One batch of stakeholders into a staged map version.
UNWIND $rows AS row
CREATE (n:Stakeholder:Scoped)
SET n = row.props, n.scope = $scope, n.account = $account, n.ord = row.ord
