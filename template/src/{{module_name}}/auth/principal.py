"""The identity a verified token establishes, used alike by HTTP and WebSocket handlers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token's subject, name, roles and expiry (epoch seconds)."""

    user_id: str
    username: str
    roles: frozenset[str]
    expires_at: float

    def missing_roles(self, required: Iterable[str]) -> list[str]:
        """The roles of ``required`` this principal lacks, in a stable order."""
        return sorted(set(required) - self.roles)
