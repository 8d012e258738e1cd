"""Secrets out of recorded data: values under configured keys are replaced, at any depth."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import JsonValue

REDACTED = "[REDACTED]"
# Deeper structures are cut here, so that a hostile body cannot exhaust the stack.
MAX_DEPTH = 32
TOO_DEEP = "[TOO DEEP]"


class Redactor:
    """Replaces the value of every key named in ``keys`` (matched case-insensitively)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = frozenset(key.casefold() for key in keys)

    def redact(self, value: JsonValue) -> JsonValue:
        """A copy of ``value`` with the secrets replaced; the input is left unchanged."""
        return self._redact(value, 0)

    def _redact(self, value: JsonValue, depth: int) -> JsonValue:
        if isinstance(value, dict | list) and depth >= MAX_DEPTH:
            return TOO_DEEP
        if isinstance(value, dict):
            return {
                key: REDACTED if key.casefold() in self._keys else self._redact(item, depth + 1)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self._redact(item, depth + 1) for item in value]
        return value
