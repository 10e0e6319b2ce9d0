"""Relevance: paper_embeddings, chat_interests.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "paper_embeddings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("arxiv_id", sa.String(), nullable=False),
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.UniqueConstraint("arxiv_id", "model", name="uq_paper_embeddings"),
    )
    op.create_index(
        "ix_paper_embeddings_created_at", "paper_embeddings", ["created_at"], unique=False
    )
    op.create_table(
        "chat_interests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("arxiv_id", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.UniqueConstraint("platform", "chat_id", "arxiv_id", "source", name="uq_chat_interests"),
    )


def downgrade() -> None:
    op.drop_table("chat_interests")
    op.drop_index("ix_paper_embeddings_created_at", table_name="paper_embeddings")
    op.drop_table("paper_embeddings")
