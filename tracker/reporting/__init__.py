"""Reporting a concern: the parents' form, staff reports, receipts, follow-up and routing."""
