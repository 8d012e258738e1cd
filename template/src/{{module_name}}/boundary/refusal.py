"""The one error the boundary raises, shaped like a validation error."""

from __future__ import annotations

import re

from pydantic import JsonValue

Location = tuple[str | int, ...]

# Some databases refuse NUL in text columns; a lone surrogate cannot be encoded as UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class InputRefusedError(Exception):
    """Untrusted input the service will not take, with where and why."""

    def __init__(self, loc: Location, msg: str, kind: str) -> None:
        super().__init__(msg)
        self.loc = loc
        self.msg = msg
        self.kind = kind

    def details(self) -> list[JsonValue]:
        """The refusal as one entry in the validation error details' format."""
        location: list[JsonValue] = [safe_text(str(part)) for part in self.loc]
        return [{"loc": location, "msg": self.msg, "type": self.kind}]


def unstorable_text(value: str) -> str | None:
    """Why ``value`` cannot be stored (``nul_character``, ``lone_surrogate``), or None."""
    if value.isascii():  # O(1) in CPython; ASCII holds no surrogate, so only NUL can be there
        return "nul_character" if "\x00" in value else None
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    return "nul_character" if found.group() == "\x00" else "lone_surrogate"


def check_text(value: str, loc: Location, *, max_length: int) -> None:
    """Refuse a string that cannot be stored or is longer than ``max_length``."""
    kind = unstorable_text(value)
    if kind == "nul_character":
        raise InputRefusedError(loc, "NUL characters are not accepted", kind)
    if kind == "lone_surrogate":
        raise InputRefusedError(loc, "lone surrogates are not valid Unicode text", kind)
    if len(value) > max_length:
        raise InputRefusedError(
            loc, f"strings are limited to {max_length} characters", "string_too_long"
        )


def safe_text(value: str) -> str:
    """``value`` with NUL and lone surrogates replaced by U+FFFD (to echo it, or to store it)."""
    if value.isascii() and "\x00" not in value:  # the common case, without a regex pass
        return value
    return _UNSTORABLE.sub("\ufffd", value)
