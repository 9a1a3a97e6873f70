// Delete up to $limit history records of an account before revision $keep (the checkpoint at $keep stays).
CALL () {
  MATCH (c:HistoryChunk {account: $account})
  WHERE c.revision < $keep OR (c.revision = $keep AND NOT c.checkpoint)
  RETURN c AS n
  UNION ALL
  MATCH (h:HistoryHead {account: $account})
  WHERE h.revision < $keep
  RETURN h AS n
  UNION ALL
  MATCH (x:Change {account: $account})
  WHERE $with_changes AND x.revision < $keep
  RETURN x AS n
}
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
