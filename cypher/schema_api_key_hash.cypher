// Keys are looked up by their token's hash on every API call.
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.token_hash IS UNIQUE
