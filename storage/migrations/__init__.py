"""Alembic environment and revisions for the paperbot schema (run by storage.migrate)."""
