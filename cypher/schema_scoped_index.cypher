// Every node of a map carries the :Scoped label, so one index finds a whole map version.
CREATE INDEX scoped_scope IF NOT EXISTS FOR (n:Scoped) ON (n.scope)
