// Make an account's recorded changes stop naming an erased id (as subject, or as an end of a line).
MATCH (c:Change {account: $account})
WHERE c.subject = $id OR c.subject STARTS WITH $id + '->' OR c.subject ENDS WITH '->' + $id
SET c.subject = ''
RETURN count(c) AS forgotten
