// Map versions to collect: replaced or deleted ones, and imports abandoned for over an hour.
MATCH (s:Scope)
WHERE s.state = 'garbage' OR (s.state = 'staging' AND s.since < datetime() - duration('PT1H'))
RETURN s.id AS scope
ORDER BY s.since
