// Delete an API key by name; says how many went (0 or 1).
OPTIONAL MATCH (k:ApiKey {name: $name})
DETACH DELETE k
RETURN count(k) AS removed
