"""Staff accounts and coordinator scope, the audit log, party links, and the editorial workflow columns.

Existing parties of published or archived editions count as reviewed ('accepted'); all others start
'not_invited'.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 11:38:51.199292

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'editor', 'coordinator')", name=op.f('ck_user_account_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=80), nullable=False),
    sa.Column('parent_type', sa.String(length=40), nullable=True),
    sa.Column('parent_id', sa.String(length=80), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_entry_actor_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_object', ['object_type', 'object_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_parent_id'), ['parent_id'], unique=False)

    op.create_table('user_municipality',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_user_municipality_municipality_id_municipality'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_municipality_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'municipality_id', name=op.f('pk_user_municipality'))
    )
    op.create_table('party_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('sent_to', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_party_link_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_party_link_party_id_party'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_party_link_token_hash'))
    )
    with op.batch_alter_table('party_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_link_party_id'), ['party_id'], unique=False)

    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('missing_accepted', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('submission_status', sa.String(length=20), nullable=False,
                                      server_default='not_invited'))
        batch_op.add_column(sa.Column('review_comment', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(
            'submission_status',
            "submission_status IN ('not_invited', 'invited', 'draft', 'submitted', 'returned', 'accepted')")
    op.execute("UPDATE party SET submission_status = 'accepted' WHERE edition_id IN "
               "(SELECT id FROM edition WHERE status IN ('published', 'archived'))")



def downgrade():
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_constraint('submission_status', type_='check')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('review_comment')
        batch_op.drop_column('submission_status')
        batch_op.drop_column('contact_email')

    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.drop_column('published_at')
        batch_op.drop_column('missing_accepted')
        batch_op.drop_column('deadline')

    with op.batch_alter_table('party_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_link_party_id'))

    op.drop_table('party_link')
    op.drop_table('user_municipality')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_parent_id'))
        batch_op.drop_index('ix_audit_entry_object')

    op.drop_table('audit_entry')
    op.drop_table('user_account')
