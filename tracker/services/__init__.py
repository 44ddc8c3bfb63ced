"""Use cases: take (session, actor, now, data), apply domain rules, record events; never commit."""
