// Every history chunk of an account (deltas, checkpoints, staged imports), to rewrite item by item.
MATCH (c:HistoryChunk {account: $account})
RETURN elementId(c) AS chunk, c.checkpoint AS checkpoint, c.entries AS entries
