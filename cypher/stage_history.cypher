// One batch of an import's history items, staged with its map version: collected with it if the import
// is abandoned, given its revision when the version goes live (commit_history).
UNWIND $chunks AS chunk
CREATE (:HistoryChunk:Scoped {scope: $scope, account: $account, checkpoint: chunk.checkpoint, seq: chunk.seq,
                              entries: chunk.entries})
