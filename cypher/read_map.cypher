// One account's whole map as a stream of rows (kind, item): the account, then every node and line of its
// live version. Rows are streamed, not collected, so a large map never has to fit in one server-side
// value; the store orders each list by `ord`.
MATCH (a:Account {id: $account})
CALL (a) {
  RETURN 'account' AS kind, a {.id, .name, .industry, .notes, .revision, .updated_at} AS item
  UNION ALL
  MATCH (n:Competitor {scope: a.scope}) RETURN 'competitors' AS kind, n {.*} AS item
  UNION ALL
  MATCH (n:Member {scope: a.scope}) RETURN 'team' AS kind, n {.*} AS item
  UNION ALL
  MATCH (n:Stakeholder {scope: a.scope}) RETURN 'stakeholders' AS kind, n {.*} AS item
  UNION ALL
  MATCH (n:Activity {scope: a.scope}) RETURN 'activities' AS kind, n {.*} AS item
  UNION ALL
  MATCH (n:Voice {scope: a.scope}) RETURN 'voices' AS kind, n {.*} AS item
  UNION ALL
  MATCH (s:Stakeholder {scope: a.scope})-[r:REPORTS_TO]->(t:Stakeholder)
  RETURN 'reports_to' AS kind, r {.*, from: s.id, to: t.id} AS item
  UNION ALL
  MATCH (s:Stakeholder {scope: a.scope})-[r:INFLUENCES]->(t:Stakeholder)
  RETURN 'influences' AS kind, r {.*, from: s.id, to: t.id} AS item
  UNION ALL
  MATCH (s:Member {scope: a.scope})-[r:RELATES_TO]->(t:Stakeholder)
  RETURN 'relationships' AS kind, r {.*, member: s.id, stakeholder: t.id} AS item
  UNION ALL
  MATCH (s:Competitor {scope: a.scope})-[r:COMPETES_FOR]->(t:Stakeholder)
  RETURN 'competitor_relationships' AS kind, r {.*, competitor: s.id, stakeholder: t.id} AS item
}
RETURN kind, item
