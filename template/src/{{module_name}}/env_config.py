"""Where every settings group reads from: its prefixed environment variables, then ``.env``."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict


def env_config(prefix: str) -> SettingsConfigDict:
    """The config of a settings group whose variables start with ``prefix``."""
    return SettingsConfigDict(
        env_prefix=prefix, env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )
