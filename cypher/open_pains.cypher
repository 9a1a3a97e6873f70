// The open pains of account $account, who raised them and the roadmap items that answer them, for Neo4j
// Browser; pains no committed or released item answers come first, then the oldest:
//   :param account => 'acme'
MATCH (a:Account {id: $account})
MATCH (s:Stakeholder {scope: a.scope})-[:VOICED]->(v:Voice {category: 'pain'})
WHERE NOT v.status IN ['resolved', 'rejected']
OPTIONAL MATCH (v)-[:ANSWERED_BY]->(r:RoadmapItem)
WITH s, v, r ORDER BY r.ord
WITH s, v, collect(r {.id, .title, .status}) AS items
RETURN s.id AS stakeholder, s.name AS name, v.id AS voice, v.date AS date, v.text AS text, items,
       any(i IN items WHERE i.status IN ['committed', 'released']) AS answered
ORDER BY answered, date, voice
