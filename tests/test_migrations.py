"""Alembic migrations build exactly the models' schema, and go down and up again cleanly."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import make_engine
from bot.migrate import downgrade, upgrade
from models import Base


def test_upgrade_downgrade_upgrade(blank_database_url):
    url = blank_database_url
    upgrade(url)
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    engine.dispose()
    downgrade(url, "0001")
    engine = make_engine(url)
    assert "numerator" not in {c["name"] for c in inspect(engine).get_columns("report_values")}
    assert _unique_key_index(engine), "the expression index must survive a table rebuild"
    engine.dispose()
    downgrade(url)
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(url)


def _unique_key_index(engine) -> bool:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT count(*) FROM sqlite_master WHERE name = 'uq_report_values_key'"
        else:
            sql = "SELECT count(*) FROM pg_indexes WHERE indexname = 'uq_report_values_key'"
        return conn.exec_driver_sql(sql).scalar_one() == 1


def test_migrations_match_the_models(blank_database_url):
    url = blank_database_url
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect the expression index (coalesce(project_id, 0)); it is checked below instead.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert _unique_key_index(engine)
    engine.dispose()
