"""Captured values made storable: what the database accepts in its text and JSON columns.

A hostile client chooses much of what an audit record holds (paths, queries, bodies, headers,
WebSocket data), and one value the database refuses would otherwise fail its whole batch. So
every value is reduced at capture to: text without NUL and without lone surrogates (both
become U+FFFD), JSON without NaN or infinities (they become the strings ``"NaN"``,
``"Infinity"``, ``"-Infinity"``), integers within 64 bits (larger ones become their text),
and bounded sizes: long text is cut with a visible marker, deep structures end in a marker,
and containers keep a bounded number of items, the rest counted in a marker.
"""

from __future__ import annotations

import math
import re

from pydantic import JsonValue

REPLACEMENT = "\ufffd"
# NUL (refused in text and JSON by some databases) and UTF-16 surrogates (not valid UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

MAX_TEXT_LENGTH = 2_000  # characters of one string inside recorded data
MAX_DEPTH = 16  # nesting levels of recorded data
MAX_ITEMS = 100  # items of one object or array
MAX_NODES = 2_000  # values in all of one record's data
TOO_DEEP = "[TOO DEEP]"
MORE_ITEMS = "[MORE ITEMS]"
INT_BOUND = 2**63
MAX_INT_TEXT_BITS = 4_000  # larger integers are described, not written out


def cut_marker(dropped: int) -> str:
    """What replaces the end of a text that was cut: says how much is missing."""
    return f"…[cut {dropped} chars]"


def storable_text(value: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """``value`` with NUL and lone surrogates replaced, at most ``limit`` characters long."""
    clean = _UNSTORABLE.sub(REPLACEMENT, value)
    if len(clean) <= limit:
        return clean
    # The marker's own length is reserved, so the result stays within the limit.
    keep = max(limit - len(cut_marker(len(clean))), 0)
    return (clean[:keep] + cut_marker(len(clean) - keep))[:limit]


def storable_optional_text(value: str | None, limit: int) -> str | None:
    """``storable_text`` of a value that may be missing."""
    return None if value is None else storable_text(value, limit)


def ascii_text(value: str, limit: int) -> str:
    """Printable ASCII on one line (everything else escaped), at most ``limit`` characters."""
    return storable_text(value.encode("unicode_escape").decode("ascii"), limit)


def storable_json(value: object) -> JsonValue:
    """A bounded JSON value that serialises with ``allow_nan=False`` and stores everywhere.

    Anything that is not a JSON value (bytes, tuples, sets, other objects) becomes its text.
    """
    return _Bounded().convert(value, 0)


class _Bounded:
    """One walk over a value, counting the nodes it keeps against ``MAX_NODES``."""

    def __init__(self) -> None:
        self.nodes = 0

    def convert(self, value: object, depth: int) -> JsonValue:
        self.nodes += 1
        if not isinstance(value, dict | list | tuple):
            return _scalar(value)
        if depth >= MAX_DEPTH:
            return TOO_DEEP
        if isinstance(value, dict):
            return self._object(value, depth)
        return self._array(value, depth)

    def _object(self, value: dict[object, object], depth: int) -> JsonValue:
        result: dict[str, JsonValue] = {}
        for index, (key, item) in enumerate(value.items()):
            if index >= MAX_ITEMS or self.nodes >= MAX_NODES:
                result[MORE_ITEMS] = len(value) - index
                break
            name = storable_text(key if isinstance(key, str) else str(key), 200)
            result[name] = self.convert(item, depth + 1)
        return result

    def _array(self, value: list[object] | tuple[object, ...], depth: int) -> JsonValue:
        result: list[JsonValue] = []
        for index, item in enumerate(value):
            if index >= MAX_ITEMS or self.nodes >= MAX_NODES:
                result.append(f"{MORE_ITEMS} {len(value) - index}")
                break
            result.append(self.convert(item, depth + 1))
        return result


def _scalar(value: object) -> JsonValue:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -INT_BOUND <= value < INT_BOUND else _int_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else _float_text(value)
    return storable_text(value if isinstance(value, str) else str(value))


def _float_text(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _int_text(value: int) -> str:
    # str() of a huge int is slow and may be refused outright (sys.set_int_max_str_digits).
    if value.bit_length() > MAX_INT_TEXT_BITS:
        return f"[integer of {value.bit_length()} bits]"
    return storable_text(str(value), 100)
