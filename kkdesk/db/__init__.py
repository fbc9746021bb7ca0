"""Storage: SQLAlchemy models, the SQLCipher engine, migrations."""
