"""Alembic's entry point: migrations run on the connection `migrate.upgrade` hands over,
inside its transaction. Batch mode, so that SQLite can alter columns too."""
from alembic import context

from scorecard.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
