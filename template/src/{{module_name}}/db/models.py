"""Import every table module here so that Alembic's autogenerate sees all tables."""
