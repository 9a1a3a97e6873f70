// A competitor id is unique within one map version (scope).
CREATE CONSTRAINT competitor_key IF NOT EXISTS FOR (n:Competitor) REQUIRE (n.scope, n.id) IS UNIQUE
