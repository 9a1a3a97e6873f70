// History heads (one per revision that recorded history), found by account and revision.
CREATE INDEX history_head IF NOT EXISTS FOR (h:HistoryHead) ON (h.account, h.revision)
