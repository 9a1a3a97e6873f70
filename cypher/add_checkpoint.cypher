// One batch of a checkpoint's items (the whole map at a revision), kept after the write that made it.
UNWIND $chunks AS chunk
CREATE (:HistoryChunk {account: $account, revision: $revision, checkpoint: true, seq: chunk.seq,
                       entries: chunk.entries})
