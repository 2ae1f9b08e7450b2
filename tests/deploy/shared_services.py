"""A scratch PostgreSQL database and a Redis database of a test's own, on the servers the
machine runs (127.0.0.1:5432 and 127.0.0.1:6379), removed afterwards; the test skips when
either server is not there.

Other test runs may use the same servers at the same time, so nothing here touches what it
did not create: the database has a random name, and the Redis database is one that was empty
and is claimed with a key before it is used.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
import pytest
import redis
from psycopg import sql

# The suite's own PostgreSQL server when it is given one (.ci/run does), else the usual one.
POSTGRES_URL = os.environ.get("LINERNOTES_TEST_POSTGRES_URL", "").strip() or (
    "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_SERVER = "redis://127.0.0.1:6379"
CLAIM_KEY = "linernotes-test:claimed-by"


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the server; yields its URL and drops it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {urlsplit(POSTGRES_URL).netloc}: {error}")
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
        finally:
            # FORCE: a server process left behind must not keep the database alive.
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def claimed_redis_database() -> Iterator[str]:
    """An empty Redis database, claimed for this test; yields its URL and empties it after."""
    probe = redis.Redis.from_url(REDIS_SERVER, socket_connect_timeout=3)
    try:
        count = int(probe.config_get("databases").get("databases") or 16)
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_SERVER}: {error}")
    finally:
        probe.close()
    token = uuid.uuid4().hex
    # From the last one down: tools and other tests usually start at 0.
    for number in range(count - 1, 0, -1):
        client = redis.Redis.from_url(f"{REDIS_SERVER}/{number}")
        if client.dbsize() == 0 and client.set(CLAIM_KEY, token, nx=True):
            try:
                yield f"{REDIS_SERVER}/{number}"
            finally:
                if client.get(CLAIM_KEY) == token.encode():
                    client.flushdb()
                client.close()
            return
        client.close()
    pytest.skip("every Redis database is in use")
