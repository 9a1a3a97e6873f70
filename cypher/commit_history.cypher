// An import went live: its staged history items belong to its revision from now on.
MATCH (c:HistoryChunk:Scoped {scope: $scope})
REMOVE c:Scoped, c.scope
SET c.revision = $revision
RETURN count(c) AS chunks
