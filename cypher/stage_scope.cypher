// Announce a new map version before writing it, so an interrupted import can be collected later.
CREATE (:Scope {id: $scope, account: $account, state: 'staging', since: datetime()})
