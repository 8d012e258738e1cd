"""The one error the scaffolder reports: what it was asked for cannot be done as asked."""

from __future__ import annotations


class RefusedError(Exception):
    """A name, id, role or schema the scaffolder refuses; the message is one line."""
