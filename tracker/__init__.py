"""Meldpunt: incident reporting and escalation for primary schools.

The layout (docs/ARCHITECTURE.md): a pure `tracker.domain`, the shared `tracker.models`, and one
package per feature. Importing this package loads nothing else: `flask --app tracker` and
`from tracker import create_app` build the application (tracker/core/app.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

PACKAGE = Path(__file__).resolve().parent
# One feature, one package. Each holds its views (a module-level `bp`), forms, use cases,
# CLI (a module-level COMMANDS list) and templates (tracker/<feature>/templates/).
FEATURES = ("core", "accounts", "setup", "reporting", "kiosk", "cases", "evidence", "pupils",
            "escalation", "insight", "retention", "admin")


class ConfigurationError(RuntimeError):
    """Raised when the settings are unsafe for the environment."""


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Create and configure the Meldpunt application (tracker/core/app.py)."""
    from tracker.core.app import create_app as build

    return build(overrides)
