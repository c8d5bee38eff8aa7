"""Alembic's entry point: migrations always run on a connection the app hands over
(`migrations.upgrade`), never from a URL in an ini file, so the app's settings are the
only place a database is named."""

from alembic import context

from candor_server.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
