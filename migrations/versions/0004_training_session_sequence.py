"""Training sessions get a revision number (iCalendar SEQUENCE), raised when a session changes or is cancelled.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))
    # The cancellation files mailed so far carried SEQUENCE 1; a later file must not fall behind them.
    op.execute("UPDATE training_session SET sequence = 1 WHERE cancelled_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_column('sequence')
