"""A throwaway PostgreSQL cluster: `initdb` in a temporary folder, `pg_ctl start` on a free
loopback port, `pg_ctl stop` and the folder removed at the end. PostgreSQL refuses to run as
root, so as root (CI, this machine) every server command runs as the `postgres` system user
that Debian's package creates."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import NullPool, create_engine

from .processes import free_port

INSTALL_HINT = "apt-get install -y postgresql"
SERVER_USER = "postgres"
SUPERUSER = "candor"
START_TIMEOUT = 60
TEST_SETTINGS = {
    # Crash safety is not what the tests check, and a test run never outlives the cluster.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
}


class PostgresMissing(RuntimeError):
    """Debian's PostgreSQL binaries are not installed; the message says how to install them."""


def server_binaries():
    """The newest installed /usr/lib/postgresql/<major>/bin (Debian keeps them off PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda path: int(path.split("/")[4]))
    if not found:
        raise PostgresMissing(f"PostgreSQL is not installed: {INSTALL_HINT}")
    return Path(found[-1]).parent


class PostgresCluster:
    """One running cluster with a trusted superuser `candor` on 127.0.0.1:`port`."""

    def __init__(self, settings=None):
        self.bin = server_binaries()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="candor-postgresql-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._run("initdb", "--pgdata", str(self.data), "--username", SUPERUSER, "--auth", "trust",
                  "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync")
        options = {"listen_addresses": "127.0.0.1", "port": str(self.port),
                   "unix_socket_directories": str(self.folder), **TEST_SETTINGS, **(settings or {})}
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.log), "--wait",
                  "--timeout", str(START_TIMEOUT), "start",
                  "--options", " ".join(f"-c {name}={value}" for name, value in options.items()))

    def url(self, database="postgres"):
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name):
        """Dropped even with connections still open (a pool an app never closed)."""
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, statement):
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with engine.connect() as connection:
            connection.exec_driver_sql(statement)

    def restart(self):
        """A fast restart (open connections are cut), as after a crash or an upgrade."""
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.log), "--mode", "fast", "--wait", "restart")

    def stop(self):
        try:
            self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "immediate", "--wait", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program, *arguments):
        command = [str(self.bin / program), *arguments]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        completed = subprocess.run(command, cwd=self.folder, capture_output=True, text=True, timeout=START_TIMEOUT)
        if completed.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{program} failed ({completed.returncode}):\n{completed.stdout}{completed.stderr}{log}")
        return completed.stdout
