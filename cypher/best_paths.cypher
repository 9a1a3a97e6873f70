// The $k best introduction paths to stakeholder $target of account $account, best first, for Neo4j Browser:
//   :param account => 'acme'
//   :param target => 'ceo'
//   :param member => null      (or a team member id)
//   :param k => 3
// Same rules as powermap's own search: one relationship of ours, then stakeholder ties (the largest
// influence weight either way, or 0.5 for a reporting line), strength = product, ties to the shorter
// path. Paths are searched up to 6 ties long.
MATCH (a:Account {id: $account})
MATCH (target:Stakeholder {scope: a.scope, id: $target})
MATCH (m:Member {scope: a.scope})-[rel:RELATES_TO]->(first:Stakeholder)
WHERE rel.strength > 0 AND ($member IS NULL OR m.id = $member)
MATCH p = (first)-[:REPORTS_TO|INFLUENCES*0..6]-(target)
WITH DISTINCT m, rel, nodes(p) AS chain
WHERE all(i IN range(0, size(chain) - 1) WHERE NOT chain[i] IN chain[i + 1..])
CALL (chain) {
  UNWIND range(0, size(chain) - 2) AS i
  WITH chain[i] AS u, chain[i + 1] AS v, i
  OPTIONAL MATCH (u)-[line:INFLUENCES]-(v)
  OPTIONAL MATCH (u)-[rep:REPORTS_TO]-(v)
  WITH i, max(line.weight) AS weight, count(rep) AS reporting
  WITH i, CASE WHEN reporting > 0 AND coalesce(weight, 0.0) < 0.5 THEN 0.5 ELSE coalesce(weight, 0.0) END AS tie
  ORDER BY i
  RETURN collect(tie) AS ties
}
WITH m, chain, reduce(strength = rel.strength, tie IN ties | strength * tie) AS strength
WHERE strength > 0
RETURN strength, [m.id] + [n IN chain | n.id] AS nodes
ORDER BY strength DESC, size(nodes) ASC, nodes ASC
LIMIT $k
