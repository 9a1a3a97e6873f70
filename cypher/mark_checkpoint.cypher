// A checkpoint is complete: reads may start from it.
MERGE (h:HistoryHead {account: $account, revision: $revision})
  ON CREATE SET h.items = 0
SET h.checkpoint = true
