// A voice id is unique within one map version (scope).
CREATE CONSTRAINT voice_key IF NOT EXISTS FOR (n:Voice) REQUIRE (n.scope, n.id) IS UNIQUE
