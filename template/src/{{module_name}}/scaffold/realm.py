"""New realm roles in keycloak/realm.json, granted to the realm's admins.

The file is edited in place (a line per role, a name in each admin's list) so that a later
template change to it still merges; should the result not be exactly the intended realm (a
layout the edit does not know), the whole file is written anew instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

ADMIN_ROLE = "admin"  # the realm's users who hold it are granted every new package role

_ROLES_ARRAY = re.compile(r'"roles"\s*:\s*\{\s*"realm"\s*:\s*\[')
_REALM_ROLES = re.compile(r'"realmRoles"\s*:\s*\[')


@dataclass(frozen=True, slots=True)
class RealmChange:
    """The realm's new text, the roles it gained and who was granted roles."""

    text: str
    added: tuple[str, ...]
    granted: tuple[str, ...]


def _array_close(text: str, opening: int) -> int:
    """The index of the ``]`` that closes the JSON array opening at ``opening``."""
    _, end = json.JSONDecoder().raw_decode(text, opening)
    return end - 1


def _after_last_item(text: str, close: int) -> tuple[int, bool]:
    """Where to insert after an array's last item, and whether the array is empty."""
    last = close - 1
    while text[last].isspace():
        last -= 1
    return last + 1, text[last] == "["


def _line_indent(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    line = text[start:index]
    return line[: len(line) - len(line.lstrip())]


def _in_place(text: str, added: Sequence[dict[str, str]], grants: dict[str, list[str]]) -> str:
    """The edits as insertions into ``text``; the caller checks the result."""
    insertions: list[tuple[int, str]] = []
    roles = _ROLES_ARRAY.search(text)
    if roles is not None and added:
        at, empty = _after_last_item(text, _array_close(text, roles.end() - 1))
        indent = _line_indent(text, at)
        entries = [json.dumps(role, ensure_ascii=False) for role in added]
        joined = ",\n".join(f"{indent}{entry}" for entry in entries)
        insertions.append((at, ("\n" if empty else ",\n") + joined))
    for username, names in grants.items():
        user = re.search(rf'"username"\s*:\s*{re.escape(json.dumps(username))}', text)
        listed = _REALM_ROLES.search(text, user.end()) if user is not None else None
        if listed is None:
            continue
        at, empty = _after_last_item(text, _array_close(text, listed.end() - 1))
        quoted = ", ".join(json.dumps(name, ensure_ascii=False) for name in names)
        insertions.append((at, quoted if empty else f", {quoted}"))
    for at, insertion in sorted(insertions, reverse=True):
        text = text[:at] + insertion + text[at:]
    return text


def _realm_roles(realm: object) -> list[object]:
    """The realm's list of realm roles; ValueError when the document has none."""
    roles = realm.get("roles") if isinstance(realm, dict) else None
    listed = roles.get("realm") if isinstance(roles, dict) else None
    if not isinstance(listed, list):
        raise ValueError("it has no list of realm roles (roles.realm)")
    return listed


def _grant(realm: object, names: Sequence[str]) -> dict[str, list[str]]:
    """Grant ``names`` to every user of ``realm`` holding ``admin``; what each was granted."""
    grants: dict[str, list[str]] = {}
    users = realm.get("users") if isinstance(realm, dict) else None
    for user in users if isinstance(users, list) else []:
        held = user.get("realmRoles") if isinstance(user, dict) else None
        if isinstance(held, list) and ADMIN_ROLE in held:
            missing = [name for name in names if name not in held]
            if missing:
                held.extend(missing)
                grants[str(user.get("username"))] = missing
    return grants


def add_roles(text: str, roles: dict[str, str]) -> RealmChange:
    """The realm with the ``roles`` (name: description) it lacks, each granted to every user
    who holds ``admin``; ValueError for text that is not a realm."""
    wanted: object = json.loads(text)
    listed = _realm_roles(wanted)
    existing = {role.get("name") for role in listed if isinstance(role, dict)}
    added = [
        {"name": name, "description": description}
        for name, description in roles.items()
        if name not in existing
    ]
    listed.extend(added)
    grants = _grant(wanted, list(roles))
    if not added and not grants:
        return RealmChange(text=text, added=(), granted=())
    edited = _in_place(text, added, grants)
    try:
        same = json.loads(edited) == wanted
    except ValueError:
        same = False
    if not same:
        edited = json.dumps(wanted, indent=2, ensure_ascii=False) + "\n"
    return RealmChange(
        text=edited, added=tuple(role["name"] for role in added), granted=tuple(grants)
    )
