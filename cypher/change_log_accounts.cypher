// Every account with a change log, deleted ones included (retention prunes their logs too).
MATCH (c:Change)
RETURN DISTINCT c.account AS account
ORDER BY account
