"""The Cypher the Neo4j store runs: one named query a ``.cypher`` file, loaded by :mod:`powermap.store.queries`."""
