from alembic import context

from kkdesk.db.base import Base
from kkdesk.db import models  # noqa: F401  (registers the tables)


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001
    # FTS5 tables and their shadow tables are created by hand in the migrations
    return not (type_ == "table" and name.startswith("search_index"))


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("kkdesk runs its migrations on an open, keyed connection")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  include_object=include_object)
with context.begin_transaction():
    context.run_migrations()
