// Erase a stakeholder from every version of one account's map (the live one, and any replaced or staged
// version not yet collected): the node, every line touching it (DETACH), the voices they raised, and their
// id in activities. Returns how many were removed from the live version (0: no such stakeholder).
MATCH (a:Account {id: $account})
OPTIONAL MATCH (old:Scope {account: $account})
WITH a, [a.scope] + collect(old.id) AS scopes
UNWIND scopes AS scope
OPTIONAL MATCH (n:Stakeholder {scope: scope, id: $id})
CALL (n, scope) {
  WITH n WHERE n IS NOT NULL
  MATCH (x:Activity {scope: scope}) WHERE $id IN x.stakeholders
  SET x.stakeholders = [i IN x.stakeholders WHERE i <> $id]
}
CALL (n) {
  WITH n WHERE n IS NOT NULL
  MATCH (n)-[:VOICED]->(v:Voice)
  DETACH DELETE v
}
WITH a, scope, n, CASE WHEN n IS NOT NULL AND scope = a.scope THEN 1 ELSE 0 END AS live
DETACH DELETE n
RETURN sum(live) AS removed
