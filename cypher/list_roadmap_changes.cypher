// The roadmap's recorded writes, newest first, a page at a time (revisions below $before when given).
MATCH (c:RoadmapChange)
WHERE $before IS NULL OR c.revision < $before
RETURN c.revision AS revision, c.at AS at, c.actor AS actor, c.operation AS operation, c.subject AS subject
ORDER BY c.revision DESC
LIMIT $limit
