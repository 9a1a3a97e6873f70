// A team member id is unique within one map version (scope).
CREATE CONSTRAINT member_key IF NOT EXISTS FOR (n:Member) REQUIRE (n.scope, n.id) IS UNIQUE
