// One entry of the roadmap's change log per revision (and a quick newest-first page).
CREATE CONSTRAINT roadmap_change_revision IF NOT EXISTS FOR (c:RoadmapChange) REQUIRE c.revision IS UNIQUE
