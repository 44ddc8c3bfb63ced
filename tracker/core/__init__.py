"""Shared parts every feature stands on: database, keys, security, errors, words, settings."""
