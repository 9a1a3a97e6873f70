// An account's last checkpoint at or before revision $to, and the heads (revisions, delta items) after it.
OPTIONAL MATCH (cp:HistoryHead {account: $account})
WHERE cp.checkpoint AND cp.revision <= $to
WITH max(cp.revision) AS checkpoint
OPTIONAL MATCH (h:HistoryHead {account: $account})
WHERE h.revision <= $to AND (checkpoint IS NULL OR h.revision > checkpoint)
RETURN checkpoint, collect(h.revision) AS revisions, coalesce(sum(h.items), 0) AS items
