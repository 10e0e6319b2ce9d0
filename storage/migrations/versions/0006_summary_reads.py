"""Summaries are keyed by what they read: `reads` = abstract | fulltext.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KEY = ["arxiv_id", "version", "mode", "language", "provider", "model", "prompt_version"]


def upgrade() -> None:
    # Existing rows: full summaries cached before this revision may have read either; calling
    # them "abstract" keeps them out of full-text lookups, so the paper is read again once.
    with op.batch_alter_table("summaries") as batch:
        batch.add_column(
            sa.Column("reads", sa.String(), nullable=False, server_default="abstract")
        )
        batch.drop_constraint("uq_summaries_key", type_="unique")
        batch.create_unique_constraint("uq_summaries_key", [*OLD_KEY, "reads"])


def downgrade() -> None:
    op.execute("DELETE FROM summaries WHERE reads <> 'abstract'")
    with op.batch_alter_table("summaries") as batch:
        batch.drop_constraint("uq_summaries_key", type_="unique")
        batch.create_unique_constraint("uq_summaries_key", OLD_KEY)
        batch.drop_column("reads")
