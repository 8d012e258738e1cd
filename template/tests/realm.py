"""The development realm rendered into keycloak/realm.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict

REALM_FILE = Path(__file__).resolve().parents[1] / "keycloak" / "realm.json"


class RealmUser(TypedDict):
    """A development user as keycloak/realm.json defines it."""

    username: str
    credentials: list[dict[str, str]]
    realmRoles: list[str]


def realm_users() -> list[RealmUser]:
    """The development users that keycloak/realm.json defines."""
    users: list[RealmUser] = json.loads(REALM_FILE.read_text())["users"]
    return users
