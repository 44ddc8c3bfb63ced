"""Beheer: staff, groups, routing rules, calendar, role proposals, imports, settings, logboek."""
