"""Database access: the async engine, sessions and Alembic migrations."""
