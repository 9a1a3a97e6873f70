// Keep what one write did: its head, and its items in chunks (each entry a JSON string in contract shape).
CREATE (:HistoryHead {account: $account, revision: $revision, items: $items, checkpoint: $checkpoint})
WITH 1 AS done
UNWIND $chunks AS chunk
CREATE (:HistoryChunk {account: $account, revision: $revision, checkpoint: chunk.checkpoint, seq: chunk.seq,
                       entries: chunk.entries})
