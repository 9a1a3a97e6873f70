// An activity id is unique within one map version (scope).
CREATE CONSTRAINT activity_key IF NOT EXISTS FOR (n:Activity) REQUIRE (n.scope, n.id) IS UNIQUE
