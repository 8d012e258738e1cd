"""One error family for the whole service, and the handlers that give clients one error shape.

Every error a client sees, over HTTP or WebSocket, carries ``{"code", "msg", "details"}``:
``code`` is stable and machine-readable, ``msg`` is for people, ``details`` is optional context.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from enum import IntEnum, StrEnum

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import JsonValue
from starlette.exceptions import HTTPException

logger = logging.getLogger(__name__)


class RSPCode(IntEnum):
    """WebSocket response status codes; 0-3 keep the reference protocol's values."""

    OK = 0
    ERROR = 1
    INVALID_DATA = 2
    PERMISSION_DENIED = 3
    UNKNOWN_PACKAGE = 4
    NOT_FOUND = 5
    CONFLICT = 6
    UNAUTHENTICATED = 7
    RATE_LIMITED = 8


class ErrorCode(StrEnum):
    """Stable, machine-readable error codes."""

    INTERNAL = "internal_error"
    BAD_REQUEST = "bad_request"
    VALIDATION = "validation_error"
    INVALID_JSON = "invalid_json"
    INVALID_FRAME = "invalid_frame"
    UNKNOWN_PACKAGE = "unknown_package"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNAVAILABLE = "service_unavailable"
    RATE_LIMITED = "rate_limited"
    PAYLOAD_TOO_LARGE = "payload_too_large"


def error_body(code: ErrorCode, msg: str, details: JsonValue = None) -> dict[str, JsonValue]:
    """The one error shape."""
    return {"code": code.value, "msg": msg, "details": details}


def error_json(content: object) -> bytes:
    """JSON for an error that always encodes: non-ASCII is escaped, lone surrogates included.

    An error may quote what a client sent; no quoted text may turn a refusal into a 500.
    """
    try:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")
    except ValueError:  # NaN or Infinity somewhere in the details
        return json.dumps(content, ensure_ascii=True, default=str, allow_nan=True).encode("ascii")


# A WebSocket close reason is at most 123 bytes of UTF-8.
MAX_CLOSE_REASON_BYTES = 123


def close_reason(text: str) -> str:
    """``text`` as a valid close reason: UTF-8 (a lone surrogate becomes "?"), at most 123 bytes."""
    encoded = text.encode("utf-8", "replace")[:MAX_CLOSE_REASON_BYTES]
    return encoded.decode("utf-8", "ignore")


class ErrorResponse(JSONResponse):
    """An error in the one shape, rendered by ``error_json``."""

    def render(self, content: object) -> bytes:
        """The body, which always encodes."""
        return error_json(content)


class AppError(Exception):
    """An error the client caused or must know about, with its HTTP and WebSocket codes."""

    http_status = status.HTTP_500_INTERNAL_SERVER_ERROR
    rsp_code = RSPCode.ERROR
    code = ErrorCode.INTERNAL

    def __init__(self, msg: str, details: object = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.details = details

    def body(self) -> dict[str, JsonValue]:
        """This error in the one error shape."""
        return error_body(self.code, self.msg, jsonable_encoder(self.details))


class InvalidDataError(AppError):
    """The request's data failed validation."""

    http_status = status.HTTP_422_UNPROCESSABLE_CONTENT
    rsp_code = RSPCode.INVALID_DATA
    code = ErrorCode.VALIDATION


class AuthenticationError(AppError):
    """No valid identity: the token is missing, malformed, expired or not ours."""

    http_status = status.HTTP_401_UNAUTHORIZED
    rsp_code = RSPCode.UNAUTHENTICATED
    code = ErrorCode.UNAUTHENTICATED


class PermissionDeniedError(AppError):
    """The identity lacks a role the action requires."""

    http_status = status.HTTP_403_FORBIDDEN
    rsp_code = RSPCode.PERMISSION_DENIED
    code = ErrorCode.FORBIDDEN


class NotFoundError(AppError):
    """The addressed resource does not exist."""

    http_status = status.HTTP_404_NOT_FOUND
    rsp_code = RSPCode.NOT_FOUND
    code = ErrorCode.NOT_FOUND


class ConflictError(AppError):
    """The change conflicts with the current state (a duplicate, for example)."""

    http_status = status.HTTP_409_CONFLICT
    rsp_code = RSPCode.CONFLICT
    code = ErrorCode.CONFLICT


class RateLimitedError(AppError):
    """The caller sent more than its limit allows; it may retry after the window moves on."""

    http_status = status.HTTP_429_TOO_MANY_REQUESTS
    rsp_code = RSPCode.RATE_LIMITED
    code = ErrorCode.RATE_LIMITED


class ServiceUnavailableError(AppError):
    """A dependency the action needs (the identity provider, say) does not answer."""

    http_status = status.HTTP_503_SERVICE_UNAVAILABLE
    rsp_code = RSPCode.ERROR
    code = ErrorCode.UNAVAILABLE
    # Seconds a client should wait before retrying; sent as ``Retry-After``.
    retry_after = 5


def _location(error: Mapping[str, object]) -> list[JsonValue]:
    location = error.get("loc", ())
    if not isinstance(location, tuple | list):
        return []
    return [part for part in location if isinstance(part, str | int)]


def validation_details(errors: Sequence[Mapping[str, object]]) -> list[JsonValue]:
    """Pydantic's errors reduced to location, message and type (the input is not echoed)."""
    return [
        {
            "loc": _location(error),
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


_HTTP_CODES = {
    status.HTTP_400_BAD_REQUEST: ErrorCode.BAD_REQUEST,
    status.HTTP_401_UNAUTHORIZED: ErrorCode.UNAUTHENTICATED,
    status.HTTP_403_FORBIDDEN: ErrorCode.FORBIDDEN,
    status.HTTP_404_NOT_FOUND: ErrorCode.NOT_FOUND,
    status.HTTP_405_METHOD_NOT_ALLOWED: ErrorCode.METHOD_NOT_ALLOWED,
    status.HTTP_409_CONFLICT: ErrorCode.CONFLICT,
    status.HTTP_413_CONTENT_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
    status.HTTP_429_TOO_MANY_REQUESTS: ErrorCode.RATE_LIMITED,
}


async def _app_error(_request: Request, exc: Exception) -> ErrorResponse:
    assert isinstance(exc, AppError)  # noqa: S101 - registered for AppError only
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationError) else None
    if isinstance(exc, ServiceUnavailableError):
        headers = {"Retry-After": str(exc.retry_after)}
    return ErrorResponse(exc.body(), status_code=exc.http_status, headers=headers)


async def _validation_error(_request: Request, exc: Exception) -> ErrorResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it only
    body = error_body(ErrorCode.VALIDATION, "invalid request", validation_details(exc.errors()))
    return ErrorResponse(body, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def _http_error(_request: Request, exc: Exception) -> ErrorResponse:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for it only
    code = _HTTP_CODES.get(exc.status_code, ErrorCode.BAD_REQUEST)
    body = error_body(code, str(exc.detail))
    return ErrorResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _unexpected_error(_request: Request, exc: Exception) -> ErrorResponse:
    logger.exception("unhandled error", exc_info=exc)
    body = error_body(ErrorCode.INTERNAL, "internal server error")
    return ErrorResponse(body, status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every HTTP error, of any origin, in the one error shape."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
