"""Digest planning lease: one process at a time summarizes an announcement day's papers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("digest_announcements") as batch:
        batch.add_column(sa.Column("planner", sa.String(), nullable=True))
        batch.add_column(sa.Column("planning_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("digest_announcements") as batch:
        batch.drop_column("planning_until")
        batch.drop_column("planner")
