"""Names for the rendered project: derived defaults and the validators' messages.

Plain functions, so that the template's tests can call them directly; the
``NamingExtension`` at the bottom exposes them to copier.yml as Jinja filters.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
import unicodedata
from collections.abc import Iterable
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

# Top-level modules the rendered service imports: a project module of the same
# name would shadow the library and break the service at import time.
DEPENDENCY_MODULES = frozenset(
    {
        "alembic",
        "anyio",
        "asyncpg",
        "aiosqlite",
        "cryptography",
        "deprecation",
        "greenlet",
        "jwcrypto",
        "requests",
        "requests_toolbelt",
        "fastapi",
        "httpx",
        "jwt",
        "keycloak",
        "mypy",
        "prometheus_client",
        "pydantic",
        "pydantic_settings",
        "pytest",
        "redis",
        "ruff",
        "sqlalchemy",
        "sqlmodel",
        "starlette",
        "uvicorn",
        "websockets",
    }
)
RESERVED_NAMES = frozenset({"test", "tests", "src"})
FALLBACK_SLUG = "service"
# Longer names make import lines that no formatter keeps stable across variants.
MAX_SLUG_LENGTH = 48
MAX_MODULE_LENGTH = 40
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MODULE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
REALM_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def reserved_reason(module: str) -> str:
    """Say why ``module`` cannot name the project's package, or return ''."""
    if keyword.iskeyword(module):
        return f"'{module}' is a Python keyword"
    if module in sys.stdlib_module_names:
        return f"'{module}' would shadow the standard-library module '{module}'"
    if module in DEPENDENCY_MODULES:
        return f"'{module}' would shadow the dependency '{module}' that the service imports"
    if module in RESERVED_NAMES:
        return f"'{module}' is reserved for the project's own layout (tests, src)"
    return ""


def _shorten(value: str, limit: int, separator: str) -> str:
    """Cut ``value`` to at most ``limit`` characters, at a word boundary when there is one."""
    if len(value) <= limit:
        return value
    cut = value[: limit + 1].rsplit(separator, 1)[0] if separator in value[: limit + 1] else ""
    return (cut or value[:limit]).rstrip(separator)


def slugify(name: object) -> str:
    """Derive a valid project slug (lowercase words joined by hyphens) from a name."""
    ascii_name = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        return FALLBACK_SLUG
    if slug[0].isdigit():
        slug = f"{FALLBACK_SLUG}-{slug}"
    slug = _shorten(slug, MAX_SLUG_LENGTH, "-")
    if reserved_reason(slug.replace("-", "_")):
        slug = f"{_shorten(slug, MAX_SLUG_LENGTH - len(FALLBACK_SLUG) - 1, '-')}-{FALLBACK_SLUG}"
    return slug


def module_name(slug: object) -> str:
    """Derive the Python package name from a slug: hyphens become underscores."""
    module = re.sub(r"[^a-z0-9_]+", "_", str(slug).lower()).strip("_") or FALLBACK_SLUG
    if module[0].isdigit():
        module = f"{FALLBACK_SLUG}_{module}"
    module = _shorten(module, MAX_MODULE_LENGTH, "_")
    if reserved_reason(module):
        module = (
            f"{_shorten(module, MAX_MODULE_LENGTH - len(FALLBACK_SLUG) - 1, '_')}_{FALLBACK_SLUG}"
        )
    return module


def slug_error(value: object) -> str:
    """Validate a project slug; return the reason it is refused, or ''."""
    slug = str(value)
    if not SLUG_PATTERN.match(slug):
        return (
            f"project_slug '{slug}' must be lowercase letters and digits in words joined by "
            "single hyphens, starting with a letter (for example 'orders-service')"
        )
    if len(slug) > MAX_SLUG_LENGTH:
        return f"project_slug '{slug}' is too long: at most {MAX_SLUG_LENGTH} characters"
    reason = reserved_reason(slug.replace("-", "_"))
    return f"project_slug '{slug}' is refused: {reason}" if reason else ""


def module_error(value: object) -> str:
    """Validate a Python package name; return the reason it is refused, or ''."""
    module = str(value)
    if not MODULE_PATTERN.match(module):
        return (
            f"module_name '{module}' must be a lowercase Python identifier: letters, digits "
            "and underscores, starting with a letter (for example 'orders_service')"
        )
    if len(module) > MAX_MODULE_LENGTH:
        return f"module_name '{module}' is too long: at most {MAX_MODULE_LENGTH} characters"
    reason = reserved_reason(module)
    return f"module_name '{module}' is refused: {reason}" if reason else ""


def realm_error(value: object) -> str:
    """Validate a Keycloak realm name; return the reason it is refused, or ''."""
    realm = str(value)
    if realm == "master":
        return (
            "keycloak_realm 'master' is Keycloak's administration realm; pick a realm of your own"
        )
    if not REALM_PATTERN.match(realm):
        return (
            f"keycloak_realm '{realm}' must be letters, digits, '-' and '_', "
            "starting with a letter or digit"
        )
    return ""


def client_id_error(value: object) -> str:
    """Validate a Keycloak client id; return the reason it is refused, or ''."""
    client_id = str(value)
    if not CLIENT_ID_PATTERN.match(client_id):
        return (
            f"keycloak_client_id '{client_id}' must be letters, digits, '.', '-' and '_', "
            "starting with a letter or digit"
        )
    return ""


def email_error(value: object) -> str:
    """Validate an author e-mail address (empty is allowed); return the reason, or ''."""
    email = str(value)
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        return f"author_email '{email}' is not an e-mail address (name@example.com)"
    return ""


def name_error(value: object) -> str:
    """Validate the project's display name; return the reason it is refused, or ''."""
    name = str(value)
    if not name.strip():
        return "project_name must not be empty"
    if any(char in name for char in '"\\\n\r'):
        return "project_name must not contain quotes, backslashes or line breaks"
    return ""


def quoted(value: object) -> str:
    """Quote a value as a double-quoted string valid in TOML, JSON, YAML and Python."""
    return json.dumps(str(value), ensure_ascii=False)


def prose_list(items: object) -> str:
    """Join words as prose: "a", "a and b", "a, b and c"; falsy items are left out."""
    if isinstance(items, str) or not isinstance(items, Iterable):
        raise TypeError(f"prose_list needs a list of words, got {type(items).__name__}")
    words = [str(item) for item in items if item]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


FILTERS = {
    "quoted": quoted,
    "prose_list": prose_list,
    "slugify": slugify,
    "module_name": module_name,
    "slug_error": slug_error,
    "module_error": module_error,
    "realm_error": realm_error,
    "client_id_error": client_id_error,
    "email_error": email_error,
    "name_error": name_error,
}


class NamingExtension(Extension):
    """Expose the naming functions to copier.yml and templates as Jinja filters."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        filters: dict[str, Any] = environment.filters
        filters.update(FILTERS)
