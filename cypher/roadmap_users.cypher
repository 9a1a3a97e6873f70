// The voices of live map versions that name any of the roadmap items $ids, by account (whole, for history).
MATCH (a:Account)
MATCH (v:Voice {scope: a.scope})
WHERE any(i IN v.roadmap WHERE i IN $ids)
RETURN a.id AS account, v.id AS voice, v.roadmap AS roadmap, v {.*} AS item
ORDER BY account, v.ord
