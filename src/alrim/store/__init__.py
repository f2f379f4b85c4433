"""Persistence: SQLAlchemy 2 tables (one module per aggregate), sessions and migrations."""
