// One account's whole map, every list in stored order, in one round trip.
MATCH (a:Account {id: $account})
RETURN a {.id, .name, .industry, .notes} AS account, a.revision AS revision, a.updated_at AS updated_at,
  COLLECT { MATCH (n:Competitor {scope: a.scope}) RETURN n {.*} AS n ORDER BY n.ord } AS competitors,
  COLLECT { MATCH (n:Member {scope: a.scope}) RETURN n {.*} AS n ORDER BY n.ord } AS team,
  COLLECT { MATCH (n:Stakeholder {scope: a.scope}) RETURN n {.*} AS n ORDER BY n.ord } AS stakeholders,
  COLLECT {
    MATCH (s:Stakeholder {scope: a.scope})-[r:REPORTS_TO]->(t:Stakeholder)
    RETURN r {.*, from: s.id, to: t.id} AS r ORDER BY r.ord
  } AS reports_to,
  COLLECT {
    MATCH (s:Stakeholder {scope: a.scope})-[r:INFLUENCES]->(t:Stakeholder)
    RETURN r {.*, from: s.id, to: t.id} AS r ORDER BY r.ord
  } AS influences,
  COLLECT {
    MATCH (s:Member {scope: a.scope})-[r:RELATES_TO]->(t:Stakeholder)
    RETURN r {.*, member: s.id, stakeholder: t.id} AS r ORDER BY r.ord
  } AS relationships,
  COLLECT {
    MATCH (s:Competitor {scope: a.scope})-[r:COMPETES_FOR]->(t:Stakeholder)
    RETURN r {.*, competitor: s.id, stakeholder: t.id} AS r ORDER BY r.ord
  } AS competitor_relationships,
  COLLECT { MATCH (n:Activity {scope: a.scope}) RETURN n {.*} AS n ORDER BY n.ord } AS activities
