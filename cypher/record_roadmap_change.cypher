// Who changed the store's roadmap, when and how: one entry of its change log.
CREATE (:RoadmapChange {revision: $revision, at: $now, actor: $actor, operation: $operation, subject: $subject})
