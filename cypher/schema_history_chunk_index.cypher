// History items, in chunks, found by account and revision.
CREATE INDEX history_chunk IF NOT EXISTS FOR (c:HistoryChunk) ON (c.account, c.revision)
