// The change log of an account, in order.
CREATE INDEX change_account IF NOT EXISTS FOR (c:Change) ON (c.account, c.revision)
