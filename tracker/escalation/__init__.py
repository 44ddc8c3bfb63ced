"""What happens on time: the tick, escalation, the digest, and mail (notify, outbox)."""
