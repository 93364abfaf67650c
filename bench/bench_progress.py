"""Time the progress answer (handlers.domain.progress.compute) on a synthetic history of 10k/100k/1M versions.

Usage: .venv/bin/python bench/bench_progress.py [--sizes 10000,100000,1000000] [--postgres URL] [--runs 20]

Each size gets a fresh database (a SQLite file in a temporary folder; with --postgres or TEST_POSTGRES_URL also a
PostgreSQL database created and dropped here), migrated with bot.migrate.upgrade and loaded with
handlers.domain.catalogue.load_catalogue, then bulk-filled with history: the 76 provincial offices report 2.1.1
for each of the 8 projects and 2.2.1 (with respondent counts, a few missing) every month; the central units report their
OPS and DITP indicators (ratio KPIs with both figures). History runs back from the end of the plan window as
many months as the size needs. About 10% of values are corrected (extra report_versions rows, replaced values),
about 2% voided and some of those re-reported. N counts report_versions rows.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from sqlalchemy import Engine, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.db import make_engine, make_session_factory, transaction  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from handlers.domain import thai_format  # noqa: E402
from handlers.domain.catalogue import load_catalogue  # noqa: E402
from handlers.domain.indicators import indicator_by_code, periods_in_window  # noqa: E402
from handlers.domain.progress import Progress, compute  # noqa: E402
from models import Indicator, Office, Project  # noqa: E402

LAST_PERIOD = "2024-09"  # history ends with the plan's fiscal year; it grows backwards from here
SEED = 2567
CORRECTED, VOIDED, REVIVED = 0.10, 0.02, 0.005  # shares of values with a replace / a void / a void then re-report
NO_RESPONDENTS = 0.05  # 2.2.1 values without a respondent count (the engine then takes the plain mean)

VALUE_COLUMNS = ("id", "office_id", "indicator_id", "project_id", "period", "value", "respondents", "numerator",
                 "denominator", "status", "version", "reported_by_id", "reported_at")
VERSION_COLUMNS = ("id", "report_id", "version", "action", "old_value", "new_value", "old_respondents",
                   "new_respondents", "changed_by_id", "changed_at", "source_message", "source_event_id")


@dataclass(frozen=True)
class Key:
    """What one report value is about: office, indicator, project, and how to invent its figures."""

    office_id: int
    indicator_id: int
    project_id: int | None
    kind: str  # trade | satisfaction | ratio | level


@dataclass
class History:
    """The generated rows, oldest month first, and the national 2.1.1 window total they should produce."""

    values: list[tuple[Any, ...]] = field(default_factory=list)
    versions: list[tuple[Any, ...]] = field(default_factory=list)
    trade_in_window: float = 0.0


# -- synthetic history ------------------------------------------------------------------------------

def report_keys(engine: Engine) -> tuple[list[Key], int, tuple[str, str]]:
    """Every (office, indicator, project) reported each month, the 2.1.1 id and its window's first/last month."""
    with make_session_factory(engine)() as session:
        provincial = session.scalars(select(Office).where(Office.kind == "provincial").order_by(Office.id)).all()
        central = {o.code: o for o in session.scalars(select(Office).where(Office.kind == "central"))}
        trade = indicator_by_code(session, "2.1.1")
        satisfaction = indicator_by_code(session, "2.2.1")
        assert trade is not None and satisfaction is not None
        projects = session.scalars(select(Project).where(Project.goal_id == trade.goal_id)
                                   .order_by(Project.number)).all()
        keys = [Key(o.id, trade.id, p.id, "trade") for o in provincial for p in projects]
        keys += [Key(o.id, satisfaction.id, None, "satisfaction") for o in provincial]
        for indicator in session.scalars(select(Indicator).where(Indicator.reported_by == "central")
                                         .order_by(Indicator.id)):
            owner = next(central[u] for u in indicator.responsible_units if u in central)
            kind = "ratio" if indicator.value_kind == "ratio" else "level"
            keys.append(Key(owner.id, indicator.id, None, kind))
        periods = periods_in_window(trade)
        return keys, trade.id, (periods[0], periods[-1])


Figures = tuple[float, int | None, float | None, float | None]


def _figures(rng: random.Random, kind: str) -> Figures:
    """value, respondents, numerator, denominator of one invented report."""
    if kind == "trade":
        return round(rng.uniform(0.05, 3.0), 2), None, None, None
    if kind == "satisfaction":
        respondents = None if rng.random() < NO_RESPONDENTS else rng.randint(20, 400)
        return round(rng.uniform(70, 99), 1), respondents, None, None
    if kind == "ratio":
        numerator, denominator = round(rng.uniform(50, 500), 2), round(rng.uniform(1, 10), 2)
        return numerator / denominator, None, numerator, denominator
    return round(rng.uniform(50, 100), 1), None, None, None


def _timestamp(period: str, day: int) -> str:
    """A moment early in the month after `period` (SQLite's and PostgreSQL's text forms both accept it)."""
    following = thai_format.shift_period(period, 1)
    return f"{following}-{day:02d} 03:00:00.000000"


def generate(n_versions: int, keys: list[Key], trade_id: int, window: tuple[str, str]) -> History:
    """Exactly n_versions report_versions rows, a month of every key at a time, newest month first."""
    rng = random.Random(SEED)
    months: list[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]] = []
    total, period = 0, LAST_PERIOD
    history = History()
    value_id = version_id = 0
    while total < n_versions:
        values: list[tuple[Any, ...]] = []
        versions: list[tuple[Any, ...]] = []
        created, corrected = _timestamp(period, 5), _timestamp(period, 20)
        for key in keys:
            if total >= n_versions:
                break
            value_id += 1
            # Each step: action, the figures after it (None once voided), the figures before it, when.
            first = _figures(rng, key.kind)
            story: list[tuple[str, Figures | None, Figures | None, str]] = [("create", first, None, created)]
            roll = rng.random()
            if roll < REVIVED:
                story += [("void", None, first, corrected), ("create", _figures(rng, key.kind), None, corrected)]
            elif roll < VOIDED:
                story.append(("void", None, first, corrected))
            elif roll < VOIDED + CORRECTED:
                story.append(("replace", _figures(rng, key.kind), first, corrected))
            story = story[:n_versions - total]  # the last value may lose its corrections to hit N exactly
            total += len(story)
            final = story[-1][1]
            status = "active" if final is not None else "void"
            value, respondents, numerator, denominator = final or story[-1][2] or first
            at = story[-1][3]
            values.append((value_id, key.office_id, key.indicator_id, key.project_id, period, value, respondents,
                           numerator, denominator, status, len(story), None, at))
            for number, (action, after, before, changed_at) in enumerate(story, start=1):
                version_id += 1
                old, new = before or (None, None), after or (None, None)
                versions.append((version_id, value_id, number, action, old[0], new[0], old[1], new[1], None,
                                 changed_at, f"bench {action}", None))
            if key.indicator_id == trade_id and status == "active" and window[0] <= period <= window[1]:
                history.trade_in_window += value
        months.append((values, versions))
        period = thai_format.shift_period(period, -1)
    # Insert oldest month first, as the bot would have: a month's rows sit together on disk.
    for values, versions in reversed(months):
        history.values.extend(values)
        history.versions.extend(versions)
    return history


def by_office(history: History) -> History:
    """The same history with ids in office order, as an import of a spreadsheet sorted by province leaves it.

    SQLite stores rows in id order and PostgreSQL in insertion order, so a window's rows are then spread over
    thousands of pages instead of a few dozen: the worst layout the bot can plausibly end up with.
    """
    ordered = sorted(history.values, key=lambda row: (row[1], row[2], row[3] or 0, row[4]))
    new_id = {row[0]: number for number, row in enumerate(ordered, start=1)}
    values = [(new_id[row[0]], *row[1:]) for row in ordered]
    versions = sorted(((row[0], new_id[row[1]], *row[2:]) for row in history.versions), key=lambda row: row[1])
    versions = [(number, *row[1:]) for number, row in enumerate(versions, start=1)]
    return History(values, versions, history.trade_in_window)


# -- databases --------------------------------------------------------------------------------------

def _prepare(url: str) -> Engine:
    """Migrate, load the catalogue, return an engine the way the bot makes one."""
    upgrade(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        load_catalogue(session)
    return engine


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


def fill_sqlite(path: Path, history: History) -> None:
    """executemany inside one transaction, on a plain sqlite3 connection (no ORM, no per-row round trips)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(_insert_sql("report_values", VALUE_COLUMNS), history.values)
        conn.executemany(_insert_sql("report_versions", VERSION_COLUMNS), history.versions)
        conn.execute("COMMIT")
        # No ANALYZE: the bot never runs it on SQLite, so the planner must pick the right index without statistics.
    finally:
        conn.close()


def _copy(cursor: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def fill_postgres(engine: Engine, history: History) -> None:
    """COPY both tables, move the id sequences past the copied ids, then VACUUM ANALYZE as autovacuum would."""
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        with conn.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")  # the generated timestamps are UTC without an offset
            _copy(cursor, "report_values", VALUE_COLUMNS, history.values)
            _copy(cursor, "report_versions", VERSION_COLUMNS, history.versions)
            for table in ("report_values", "report_versions"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT coalesce(max(id), 1) FROM {table}))")
        conn.commit()
        conn.autocommit = True
        with conn.cursor() as cursor:
            # Autovacuum gets here on its own within a minute or so of a bulk load; without the visibility map
            # PostgreSQL cannot use index-only scans.
            cursor.execute("VACUUM ANALYZE report_values")
            cursor.execute("VACUUM ANALYZE report_versions")
        conn.autocommit = False
    finally:
        raw.close()


class Backend(Protocol):
    """Creates and drops one fresh database per size."""

    name: str

    def create(self) -> str:
        """A URL of a new, empty database."""
        ...

    def fill(self, engine: Engine, history: History) -> None:
        """Bulk-insert the history."""
        ...

    def drop(self) -> None:
        """Remove the database made by create()."""
        ...


class SQLiteBackend(Backend):
    """A fresh file in a temporary folder."""

    name = "sqlite"

    def __init__(self) -> None:
        self.folder: Path | None = None

    def create(self) -> str:
        self.folder = Path(tempfile.mkdtemp(prefix="bench_progress_"))
        return f"sqlite:///{self.folder / 'bot.db'}"

    def fill(self, engine: Engine, history: History) -> None:
        assert self.folder is not None
        engine.dispose()  # the bulk load uses its own connection; no pooled connection may hold a snapshot
        fill_sqlite(self.folder / "bot.db", history)

    def drop(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


class PostgresBackend(Backend):
    """A fresh database on the server of `url`, created and dropped here."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.database: str | None = None

    def _admin(self, statement: str) -> None:
        engine = make_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(statement)
        finally:
            engine.dispose()

    def create(self) -> str:
        self.database = f"bench_progress_{uuid.uuid4().hex[:10]}"
        self._admin(f'CREATE DATABASE "{self.database}"')
        return make_url(self.url).set(database=self.database).render_as_string(hide_password=False)

    def fill(self, engine: Engine, history: History) -> None:
        fill_postgres(engine, history)

    def drop(self) -> None:
        if self.database is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self.database = None


# -- timing -----------------------------------------------------------------------------------------

@dataclass
class Result:
    """One backend × size."""

    backend: str
    rows: int
    build_seconds: float
    national: list[float]
    province: list[float]


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _answer(engine: Engine, as_of: date, province: str | None) -> tuple[float, Progress]:
    """One progress answer in its own session, as a request gets it; returns milliseconds and the answer."""
    with make_session_factory(engine)() as session:
        indicator = indicator_by_code(session, "2.1.1")
        assert indicator is not None
        office = None
        if province is not None:
            office = session.scalars(select(Office).where(Office.province_th == province)).one()
        started = time.perf_counter()
        progress = compute(session, indicator, as_of, office=office)
        return (time.perf_counter() - started) * 1000, progress


def time_answers(engine: Engine, as_of: date, province: str,
                 runs: int) -> tuple[list[float], list[float], Progress, Progress]:
    """Warm up, then `runs` timed national and provincial answers (interleaved so drift hits both alike)."""
    for _ in range(3):
        _answer(engine, as_of, None)
        _answer(engine, as_of, province)
    national: list[float] = []
    provincial: list[float] = []
    for _ in range(runs):
        elapsed, nation = _answer(engine, as_of, None)
        national.append(elapsed)
        elapsed, office = _answer(engine, as_of, province)
        provincial.append(elapsed)
    return national, provincial, nation, office


def check(nation: Progress, office: Progress, province: str, expected: float | None) -> None:
    """Every breakdown adds up to the actual (and to the generator's own total when it applies).

    A wrong index or query rewrite shows up here instead of as a fast but wrong benchmark.
    """
    actual = nation.actual or 0.0
    totals = {
        "generated": expected,
        "by_province": sum(r["value"] or 0 for r in nation.by_province),
        "by_project": sum(r["value"] or 0 for r in nation.by_project),
        "by_month": nation.by_month[-1]["cumulative"] if nation.by_month else 0.0,
    }
    for name, total in totals.items():
        if total is not None and abs(total - actual) > 1e-6 * max(1.0, actual):
            raise SystemExit(f"national 2.1.1 actual {actual} but {name} gives {total}")
    mine = next(r["value"] for r in nation.by_province if r["province"] == province)
    if abs((office.actual or 0) - (mine or 0)) > 1e-9 * max(1.0, mine or 0):
        raise SystemExit(f"{province}: its own answer {office.actual} but the national ranking says {mine}")
    if len(nation.offices_reported) + len(nation.offices_missing) != 76:
        raise SystemExit("completeness does not cover the 76 provincial offices")


def run(backend: Backend, size: int, as_of: date, province: str, runs: int, layout: str) -> Result:
    """Build one database of `size` version rows, time the answers, drop it."""
    url = backend.create()
    try:
        started = time.perf_counter()
        engine = _prepare(url)
        keys, trade_id, window = report_keys(engine)
        history = generate(size, keys, trade_id, window)
        if layout == "office":
            history = by_office(history)
        backend.fill(engine, history)
        build = time.perf_counter() - started
        national, provincial, nation, office = time_answers(engine, as_of, province, runs)
        engine.dispose()
        # From the window's last month on, every window month counts, so the generator knows the exact total.
        complete = thai_format.period_of(as_of) >= window[1]
        check(nation, office, province, history.trade_in_window if complete else None)
        print(f"  {backend.name:10} {size:>9,} rows: built in {build:6.1f} s "
              f"({len(history.values):,} values), national median {statistics.median(national):6.1f} ms, "
              f"province median {statistics.median(provincial):6.1f} ms", file=sys.stderr, flush=True)
        return Result(backend.name, size, build, national, provincial)
    finally:
        backend.drop()


def table(results: list[Result]) -> str:
    """The results as a Markdown table, with the median's growth next to the row count's."""
    lines = ["| backend | rows | build s | national median ms | national p95 ms | province median ms | "
             "province p95 ms | median growth national / province vs rows |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    previous: dict[str, Result] = {}
    for r in results:
        growth = "–"
        before = previous.get(r.backend)
        if before is not None:
            growth = (f"×{statistics.median(r.national) / statistics.median(before.national):.2f} / "
                      f"×{statistics.median(r.province) / statistics.median(before.province):.2f} "
                      f"vs ×{r.rows / before.rows:g}")
        lines.append(f"| {r.backend} | {r.rows:,} | {r.build_seconds:.1f} | {statistics.median(r.national):.1f} | "
                     f"{_percentile(r.national, 0.95):.1f} | {statistics.median(r.province):.1f} | "
                     f"{_percentile(r.province, 0.95):.1f} | {growth} |")
        previous[r.backend] = r
    return "\n".join(lines)


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    """Build, time and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[10_000, 100_000, 1_000_000],
                        help="report_versions rows per database, comma-separated")
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"),
                        help="a PostgreSQL server URL whose user may create databases (default: TEST_POSTGRES_URL)")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--runs", type=int, default=20, help="timed answers per measurement")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2024, 5, 31),
                        help="answer date (default: the last day of the 2.1.1 window, when every month counts)")
    parser.add_argument("--province", default="เชียงใหม่", help="the office of the provincial answer")
    parser.add_argument("--layout", choices=("month", "office"), default="month",
                        help="row order on disk: month (as LINE reports arrive; default) or office (worst case: "
                             "history imported from a spreadsheet sorted by province)")
    args = parser.parse_args(argv)
    backends: list[Backend] = [] if args.no_sqlite else [SQLiteBackend()]
    if args.postgres:
        backends.append(PostgresBackend(args.postgres))
    results = [run(backend, size, args.as_of, args.province, args.runs, args.layout)
               for backend in backends for size in args.sizes]
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
