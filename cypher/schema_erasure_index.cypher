// The erasures of an account, found by account and fingerprint.
CREATE INDEX erasure_account IF NOT EXISTS FOR (e:Erasure) ON (e.account, e.fingerprint)
