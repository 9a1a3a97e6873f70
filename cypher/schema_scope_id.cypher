// Scopes that are not live (being imported, or waiting to be deleted).
CREATE CONSTRAINT scope_id IF NOT EXISTS FOR (s:Scope) REQUIRE s.id IS UNIQUE
