// Who changed an account, when and how: one entry of its history.
CREATE (:Change {account: $account, revision: $revision, at: $now, actor: $actor, operation: $operation,
                 subject: $subject})
