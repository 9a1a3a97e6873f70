// Every account with its size, by id.
MATCH (a:Account)
RETURN a.id AS id, a.name AS name, a.industry AS industry, a.revision AS revision, a.updated_at AS updated_at,
       COUNT { MATCH (s:Stakeholder {scope: a.scope}) } AS stakeholders
ORDER BY id
