"""Flask CLI command modules; each exposes COMMANDS (registered by tracker.cli)."""
