// Take the roadmap item ids $ids out of the voices $voices of one account's live map version.
MATCH (a:Account {id: $account})
MATCH (v:Voice {scope: a.scope})
WHERE v.id IN $voices
SET v.roadmap = [i IN v.roadmap WHERE NOT i IN $ids]
WITH v
MATCH (v)-[line:ANSWERED_BY]->(r:RoadmapItem)
WHERE r.id IN $ids
DELETE line
