"""Fixtures for the central database: one real PostgreSQL 15 cluster per test session (per
xdist worker), a fresh database in it for each test, and real kiosks (tests.central.items)."""

import itertools
from contextlib import contextmanager

import psycopg
import pytest

from kiosk.central.schema import migrate
from tests.central.items import Kiosk
from tests.central.pg import PostgresCluster

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def cluster():
    """The running cluster (PostgresCluster: dsn(), stop(), start())."""
    pg = PostgresCluster().start()
    yield pg
    pg.remove()


@contextmanager
def fresh_database(cluster):
    """A new, empty database in `cluster`, dropped afterwards: its DSN."""
    name = f"kiosk_central_{next(_numbers)}"
    if not cluster.is_running():  # a test that stopped it failed before starting it again
        cluster.start()
    with psycopg.connect(cluster.dsn(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield cluster.dsn(name)
    finally:
        if not cluster.is_running():
            cluster.start()
        with psycopg.connect(cluster.dsn(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def dsn(cluster):
    """A database of its own for one test: its DSN."""
    with fresh_database(cluster) as own:
        yield own


@pytest.fixture
def conn(dsn):
    """A nurse station's connection to the migrated central database."""
    with psycopg.connect(dsn, connect_timeout=5) as connection:
        migrate(connection)
        yield connection


@pytest.fixture
def make_kiosk(tmp_path):
    """make_kiosk(kiosk_id): a real kiosk (its own SQLite database and PDF folder)."""
    made = []

    def make(kiosk_id: str) -> Kiosk:
        kiosk = Kiosk(tmp_path / kiosk_id, kiosk_id)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()
