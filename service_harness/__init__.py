"""Real PostgreSQL and Redis servers from Debian's packages, started in a temporary folder,
and gunicorn nodes of the collector: what the storage tests, the multi-node test and the
benchmarks run against instead of mocks."""
