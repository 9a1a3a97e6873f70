// Our roadmap is one per store: an item id is unique across the database.
CREATE CONSTRAINT roadmap_item_id IF NOT EXISTS FOR (r:RoadmapItem) REQUIRE r.id IS UNIQUE
