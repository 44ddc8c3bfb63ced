"""Working on cases: the queue, the case page and its actions, and the sealed area."""
