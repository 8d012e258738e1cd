"""Timestamps a column can hold: aware, normalised to UTC, inside datetime's range in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 0001-01-01T00:00:00+14:00 is before year 1 in UTC; 9999-12-31T23:59:59-14:00 after 9999.
        raise ValueError(
            "timestamp out of range: in UTC it must fall between 0001-01-01 and 9999-12-31"
        ) from None


StorableDatetime = Annotated[AwareDatetime, AfterValidator(_in_utc)]
"""An aware timestamp, returned in UTC; one that UTC cannot represent is a validation error."""
