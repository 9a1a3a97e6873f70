// Forget a partly written checkpoint before writing it again.
MATCH (c:HistoryChunk {account: $account, revision: $revision})
WHERE c.checkpoint
DETACH DELETE c
