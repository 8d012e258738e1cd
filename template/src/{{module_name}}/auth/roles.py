"""Every role the service checks; keycloak/realm.json defines each of them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Realm roles (names kept from the reference service)."""

    ADMIN = "admin"
    GET_AUTHORS = "get-authors"
    CREATE_AUTHOR = "create-author"
    UPDATE_AUTHOR = "update-author"
    DELETE_AUTHOR = "delete-author"
