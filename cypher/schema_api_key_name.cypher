// API key names are unique: a second key of the same name is refused by the server itself.
CREATE CONSTRAINT api_key_name IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.name IS UNIQUE
