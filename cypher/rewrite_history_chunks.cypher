// Replace the entries of some history chunks (an erasure forgot a person in them).
UNWIND $rows AS row
MATCH (c:HistoryChunk)
WHERE elementId(c) = row.chunk
SET c.entries = row.entries
