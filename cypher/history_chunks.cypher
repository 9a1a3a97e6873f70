// History items of an account in a range of revisions (checkpoint items or delta items), in order.
MATCH (c:HistoryChunk {account: $account})
WHERE c.revision >= $first AND c.revision <= $last AND c.checkpoint = $checkpoint
RETURN c.revision AS revision, c.entries AS entries
ORDER BY c.revision, c.seq
