"""Lines laid out as ``ruff format`` leaves them, so that what the scaffolder writes is final."""

from __future__ import annotations

from collections.abc import Sequence

LINE_LENGTH = 100  # the project's ruff line-length
INDENT = "    "


def bracketed(indent: str, head: str, items: Sequence[str], tail: str) -> str:
    """``head`` + items + ``tail`` on one line when it fits (``indent`` not included in the
    result), else one item a line with a trailing comma, which the formatter keeps."""
    one_line = f"{head}{', '.join(items)}{tail}"
    if len(indent) + len(one_line) <= LINE_LENGTH and "\n" not in one_line:
        return one_line
    inner = indent + INDENT
    lines = [head, *(f"{inner}{item}," for item in items), f"{indent}{tail}"]
    return "\n".join(lines)


def python_literal(value: str | int | float | bool) -> str:
    """A value as Python source in the formatter's style (double quotes, ``1e16``)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    return repr(value).replace("e+", "e")
