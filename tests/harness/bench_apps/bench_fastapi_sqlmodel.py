"""Bare FastAPI + SQLModel over the rendered service's database, as a plain user writes it.

The same ``authors`` table (DB_URL, as the rendered service reads it), an engine with
SQLAlchemy's default pool, a session per request or frame, and no authentication, rate
limits, audit or input boundary:

- ``GET /health``: ``{"status": "ok"}``;
- ``GET /authors/{id}``: one author by primary key (404 when there is none);
- ``/ws``: per JSON frame ``{"op": "get", "id": N}`` one author,
  ``{"op": "list", "limit": N}`` the first N authors by id with ``has_more``,
  ``{"op": "create", "name": "..."}`` a new author; each answered with one JSON frame.
"""

# mypy: ignore-errors
# FastAPI and SQLModel are installed in the rendered project's venv, not in the template's, so this
# repository's mypy cannot follow the imports; the module passes `mypy --strict` in that venv.

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from sqlalchemy import DateTime
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession


def utc_now() -> datetime:
    return datetime.now(UTC)


class Author(SQLModel, table=True):
    __tablename__ = "authors"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, index=True)
    bio: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime(timezone=True))


def database_url() -> str:
    """DB_URL with the asyncpg driver, as the rendered service's settings turn it."""
    url = os.environ["DB_URL"]
    scheme, _, rest = url.partition("://")
    return url if "+" in scheme else f"postgresql+asyncpg://{rest}"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    engine = create_async_engine(database_url())
    app.state.sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/authors/{author_id}")
async def get_author(author_id: int, session: SessionDep) -> Author:
    author = await session.get(Author, author_id)
    if author is None:
        raise HTTPException(status_code=404, detail="author not found")
    return author


async def answer(session: AsyncSession, frame: dict[str, Any]) -> Any:
    op = frame.get("op")
    if op == "get":
        author = await session.get(Author, int(frame["id"]))
        return None if author is None else author.model_dump(mode="json")
    if op == "list":
        limit = int(frame.get("limit", 20))
        statement = select(Author).order_by(col(Author.id)).limit(limit + 1)
        rows = list((await session.exec(statement)).all())
        return {
            "data": [row.model_dump(mode="json") for row in rows[:limit]],
            "has_more": len(rows) > limit,
        }
    if op == "create":
        author = Author(name=str(frame["name"]), bio=frame.get("bio"))
        session.add(author)
        await session.commit()
        return author.model_dump(mode="json")
    return {"error": f"unknown op {op!r}"}


@app.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            frame = await websocket.receive_json()
            async with websocket.app.state.sessions() as session:
                reply = await answer(session, frame)
            await websocket.send_text(json.dumps(reply))
    except WebSocketDisconnect:
        pass
