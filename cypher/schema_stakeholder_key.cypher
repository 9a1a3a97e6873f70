// A stakeholder id is unique within one map version (scope).
CREATE CONSTRAINT stakeholder_key IF NOT EXISTS FOR (n:Stakeholder) REQUIRE (n.scope, n.id) IS UNIQUE
