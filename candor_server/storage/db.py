"""Every query Candor makes, written once in SQLAlchemy Core for SQLite and PostgreSQL
alike, so how events are stored can change in this package alone. Each app has one
engine (`connections`); the schema is `tables` and evolves by `migrations`."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from .. import clock
from ..collector import visits
from ..web.refusals import refuse
from . import connections, migrations, partitions, rollup_slices, tables
from .tables import (
    csp_violation,
    daily_salt,
    dashboard_session,
    event,
    event_id,
    invited_domain,
    refused_beacon_hourly,
    rolled_slice,
    rollup,
    said_no_daily,
    scrub_finding_daily,
    visit,
)

SESSION_COLUMNS = ("ref_type", "ref_source", "ref_terms", "browser")
EVENT_COLUMNS = (
    "id",
    "site",
    "uid",
    "type",
    "ts",
    "url",
    "ref",
    "title",
    "lang",
    "tz",
    "sw",
    "sh",
    "name",
    "attrs",
    "props",
    "hosts",
    "received_at",
    *SESSION_COLUMNS,
    "path",
    "visit_id",
    "visitor",
)
# What the storage bench may count events by: names that reach SQL only from this set.
COUNTABLE_COLUMNS = frozenset({"url", "ref_type", "ref_source", "ref_terms", "browser"})
DAY_MS = 86_400_000
VISIT_FACTS = tuple(fact for fact in tables.VISIT_FACTS if fact != "exit_path")
"""The facts a visit opens with; its exit page follows its last event."""
ENGINE_KEY = "candor_storage"
# The INSERT … ON CONFLICT statement of each dialect (both speak it, with one API).
DIALECT_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}

EVENT_FIELDS = [event.c[column] for column in EVENT_COLUMNS]
# Built once: a statement made per beacon costs more than its round trip to the database.
CLAIM_EVENT_IDS = {
    "sqlite": sqlite.insert(event_id).on_conflict_do_nothing(index_elements=[event_id.c.id]).returning(event_id.c.id),
    "postgresql": postgresql.insert(event_id).on_conflict_do_nothing(index_elements=[event_id.c.id]).returning(event_id.c.id),
}
STORE_EVENT = event.insert()


def engine():
    """The current app's engine, whose pool every query borrows from."""
    return current_app.extensions[ENGINE_KEY]


def dialect_insert(table):
    """INSERT for the current engine's dialect, which can say what to do ON CONFLICT."""
    return DIALECT_INSERTS[engine().dialect.name](table)


def store_events(site, uid, events, received_at, visit_facts=None):
    """Store checked events (see `wire.Batch`, plus the session columns and `path`); an id
    already stored is skipped. Page views and custom events join the visitor's open visit
    (see `collector/visits.py`), or open one with `visit_facts`. Returns how many events were new.

    The ids are claimed first, in the same transaction: when two nodes store the same batch at
    once, the second waits on the first's claim and, once that commits, stores nothing."""
    first_of_each_id = {fields["id"]: fields for fields in reversed(events)}
    claims = [{"id": id_, "received_at": received_at} for id_ in first_of_each_id]
    with engine().begin() as connection:
        claimed = set(connection.execute(CLAIM_EVENT_IDS[connection.dialect.name], claims).scalars())
        new_events = [fields for id_, fields in reversed(first_of_each_id.items()) if id_ in claimed]
        if not new_events:
            return 0
        visitor = visits.visitor_key(uid)
        counted = [fields for fields in new_events if fields["type"] in visits.COUNTED_TYPES]
        visit_id = _visit_for(connection, site, uid, visitor, counted, received_at, visit_facts) if counted else None
        rows = [
            {
                **fields,
                "site": site,
                "uid": uid,
                "received_at": received_at,
                "visitor": visitor,
                "visit_id": visit_id if fields["type"] in visits.COUNTED_TYPES else None,
            }
            for fields in new_events
        ]
        connection.execute(STORE_EVENT, rows)
    return len(rows)


def _visit_for(connection, site, uid, visitor, counted, received_at, visit_facts):
    """The id of the visit these new events extend (the visitor's latest, if its last event is
    under 30 minutes old) or open, with their counts and exit page added."""
    paths = [fields["path"] for fields in counted if fields["type"] == "page"]
    page_views, custom, exit_path = len(paths), len(counted) - len(paths), paths[-1] if paths else None
    latest = connection.execute(
        select(visit.c.id, visit.c.started_at, visit.c.ended_at)
        .where(visit.c.site == site, visit.c.uid == uid)
        .order_by(visit.c.ended_at.desc())
        .limit(1)
    ).first()
    if latest is not None and visits.continues(latest.ended_at, received_at):
        changes = {
            "ended_at": case((visit.c.ended_at > received_at, visit.c.ended_at), else_=received_at),
            "page_views": visit.c.page_views + page_views,
            "events": visit.c.events + custom,
        }
        if exit_path is not None:
            changes["exit_path"] = exit_path
        connection.execute(update(visit).where(visit.c.id == latest.id).values(changes))
        # Summed slices hold the visit: where it started (its counts) and, when its exit page
        # changes, every slice with its events (filters on the exit page read it there).
        last_copy = latest.ended_at if exit_path is not None else latest.started_at
        summed = rollup_slices.closed_between(latest.started_at, last_copy, received_at - visits.VISIT_GAP_MS)
        if summed:
            mark_rollups_stale(connection, site, summed)
        return latest.id
    opened = insert(visit).values(
        site=site,
        uid=uid,
        visitor=visitor,
        started_at=received_at,
        ended_at=received_at,
        page_views=page_views,
        events=custom,
        exit_path=exit_path,
        **{fact: (visit_facts or {}).get(fact) for fact in VISIT_FACTS},
    )
    return connection.execute(opened).inserted_primary_key[0]


def events_for_site(site):
    """Every stored event of a site, oldest first (by the browser's clock)."""
    statement = select(*EVENT_FIELDS).where(event.c.site == site).order_by(event.c.ts, event.c.received_at, event.c.id)
    return _dicts(statement)


def count_events():
    """Events stored across all sites: the plain check that something, or nothing, was kept."""
    with engine().connect() as connection:
        return connection.scalar(select(func.count()).select_from(event))


def events_for_uid(uid, since_ms):
    """One visitor's events received since `since_ms`, newest first: "my data"."""
    statement = (
        select(*EVENT_FIELDS)
        .where(event.c.uid == uid, event.c.received_at >= since_ms)
        .order_by(event.c.received_at.desc(), event.c.ts.desc(), event.c.id)
    )
    return _dicts(statement)


def delete_events_for_uid(uid):
    """Delete every event of one visitor, however old, and the rollups of the days they were
    counted in (made again without them when next read); returns how many were deleted."""
    with engine().begin() as connection:
        counted = connection.execute(
            select(visit.c.site, visit.c.started_at)
            .where(visit.c.uid == uid)
            .union(select(event.c.site, event.c.received_at).where(event.c.uid == uid, event.c.type.in_(visits.COUNTED_TYPES)))
        )
        days_by_site: dict[str, set] = {}
        for site, moment in counted:
            days_by_site.setdefault(site, set()).add(clock.utc_day(moment / 1000))
        for site, days in days_by_site.items():
            forget_rollups(connection, site, days)
        connection.execute(delete(visit).where(visit.c.uid == uid))
        return connection.execute(delete(event).where(event.c.uid == uid)).rowcount


def forget_rollups(connection, site, days, hours_only=False):
    """Drop the dashboard's rollups of these days (YYYY-MM-DD) and of their hours (only of their
    hours with `hours_only`), to be summed again from what is stored now (dashboard/rollups.py)."""
    for day in sorted(set(days)):
        for table in (rollup, rolled_slice):
            first = day + "T" if hours_only else day
            connection.execute(
                delete(table).where(table.c.site == site, table.c.slice >= first, table.c.slice < rollup_slices.first_after_day(day))
            )


def mark_rollups_stale(connection, site, keys):
    """A visit held in these slices went on after they were summed."""
    statement = update(rolled_slice).where(rolled_slice.c.site == site, rolled_slice.c.slice.in_(keys), ~rolled_slice.c.stale)
    connection.execute(statement.values(stale=True))


def delete_received_before(cutoff_ms, cutoff_day):
    """The retention purge of every table that holds what visitors did: events (and their ids)
    and CSP violation reports received before `cutoff_ms`, daily counts of days before
    `cutoff_day` (YYYY-MM-DD). Returns {table: rows deleted}. On PostgreSQL the days wholly
    before the cutoff go as whole partitions; rows are deleted only where no partition lines up
    (the default partition, or a cutoff in the middle of a day)."""
    with engine().begin() as connection:
        dropped = 0
        if connection.dialect.name == "postgresql":
            dropped = partitions.drop_before(connection, cutoff_ms)
        deleted = {
            "csp_violation": connection.execute(delete(csp_violation).where(csp_violation.c.received_at < cutoff_ms)).rowcount,
            "said_no_daily": connection.execute(delete(said_no_daily).where(said_no_daily.c.day < cutoff_day)).rowcount,
            "visit": connection.execute(delete(visit).where(visit.c.started_at < cutoff_ms)).rowcount,
            "scrub_finding_daily": connection.execute(delete(scrub_finding_daily).where(scrub_finding_daily.c.day < cutoff_day)).rowcount,
            "rollup": connection.execute(delete(rollup).where(rollup.c.slice < cutoff_day)).rowcount,
        }
        connection.execute(delete(event_id).where(event_id.c.received_at < cutoff_ms))
        connection.execute(delete(rolled_slice).where(rolled_slice.c.slice < cutoff_day))
        deleted["event"] = dropped + connection.execute(delete(event).where(event.c.received_at < cutoff_ms)).rowcount
    return deleted


def prepare_days_ahead(now_ms):
    """On PostgreSQL, the event partitions for today and the coming week; nothing to do on SQLite."""
    with engine().begin() as connection:
        if connection.dialect.name == "postgresql":
            partitions.create_ahead(connection, now_ms)


def salt_for_day(day, candidate):
    """The salt of `day`, which `candidate` becomes if no node has made one yet (the first
    insert wins, so every node agrees); salts of earlier days are deleted."""
    statement = dialect_insert(daily_salt).values(day=day, salt=candidate).on_conflict_do_nothing(index_elements=[daily_salt.c.day])
    with engine().begin() as connection:
        connection.execute(statement)
        connection.execute(delete(daily_salt).where(daily_salt.c.day < day))
        return connection.scalar(select(daily_salt.c.salt).where(daily_salt.c.day == day))


def delete_salts_before(day):
    """Forget the salts of days before `day` (YYYY-MM-DD), even when no beacon came since."""
    with engine().begin() as connection:
        connection.execute(delete(daily_salt).where(daily_salt.c.day < day))


def salt_days():
    """The days whose salt is still kept, oldest first."""
    with engine().connect() as connection:
        return list(connection.scalars(select(daily_salt.c.day).order_by(daily_salt.c.day)))


def count_optouts(day, site, reasons):
    """Add one refused beacon to the day's anonymous total of each reason for `site`."""
    statement = dialect_insert(said_no_daily).values([{"day": day, "site": site, "reason": reason, "count": 1} for reason in reasons])
    statement = statement.on_conflict_do_update(
        index_elements=[said_no_daily.c.day, said_no_daily.c.site, said_no_daily.c.reason],
        set_={"count": said_no_daily.c.count + 1},
    )
    with engine().begin() as connection:
        connection.execute(statement)


def optout_totals(site, since_day):
    """Refused beacons of `site` per reason since a UTC day (YYYY-MM-DD), as {reason: count}."""
    statement = (
        select(said_no_daily.c.reason, func.sum(said_no_daily.c.count))
        .where(said_no_daily.c.site == site, said_no_daily.c.day >= since_day)
        .group_by(said_no_daily.c.reason)
        .order_by(said_no_daily.c.reason)
    )
    with engine().connect() as connection:
        return {reason: int(total) for reason, total in connection.execute(statement)}


def count_scrub_findings(site, day, findings):
    """Add to the day's counts of scrubbed personal data, `findings` mapping (path, field, kind) to a count."""
    rows = [
        {"day": day, "site": site, "path": path, "field": field, "kind": kind, "count": count}
        for (path, field, kind), count in findings.items()
    ]
    statement = dialect_insert(scrub_finding_daily).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[scrub_finding_daily.c[column] for column in ("day", "site", "path", "field", "kind")],
        set_={"count": scrub_finding_daily.c.count + statement.excluded.count},
    )
    with engine().begin() as connection:
        connection.execute(statement)


def scrub_findings(site, since_day, limit):
    """[(path, field, kind, count)] of a site since a UTC day, most frequent first."""
    table = scrub_finding_daily
    total = func.sum(table.c.count).label("total")
    statement = (
        select(table.c.path, table.c.field, table.c.kind, total)
        .where(table.c.site == site, table.c.day >= since_day)
        .group_by(table.c.path, table.c.field, table.c.kind)
        .order_by(total.desc(), table.c.path, table.c.field, table.c.kind)
        .limit(limit)
    )
    with engine().connect() as connection:
        return [(path, field, kind, int(count)) for path, field, kind, count in connection.execute(statement)]


def start_dashboard_session(id_hash, created_at, expired_before):
    """Record a log-in, and forget log-ins that began before `expired_before` (ms)."""
    with engine().begin() as connection:
        connection.execute(delete(dashboard_session).where(dashboard_session.c.created_at < expired_before))
        connection.execute(dashboard_session.insert().values(id_hash=id_hash, created_at=created_at))


def dashboard_session_started(id_hash):
    """When the session began (ms), or None when there is no such session (never, or logged out)."""
    statement = select(dashboard_session.c.created_at).where(dashboard_session.c.id_hash == id_hash)
    with engine().connect() as connection:
        return connection.scalar(statement)


def end_dashboard_session(id_hash):
    with engine().begin() as connection:
        connection.execute(delete(dashboard_session).where(dashboard_session.c.id_hash == id_hash))


MAX_REFUSAL_DETAILS = 20
"""Distinct origins (or unknown site ids) kept per hour, site and reason; the rest are one row."""
OTHER_DETAILS = "(others)"


def count_refusal(hour, site, reason, detail):
    """Add one refused beacon to its hour's count. A detail the client chose (an origin, a site
    id) gets its own row only while fewer than MAX_REFUSAL_DETAILS exist for that hour, site and
    reason; later ones are counted under OTHER_DETAILS."""
    table = refused_beacon_hourly
    same = (table.c.hour == hour, table.c.site == site, table.c.reason == reason)
    with engine().begin() as connection:
        if detail and connection.scalar(select(table.c.count).where(*same, table.c.detail == detail)) is None:
            kept = connection.scalar(select(func.count()).select_from(table).where(*same, table.c.detail != ""))
            if kept >= MAX_REFUSAL_DETAILS:
                detail = OTHER_DETAILS
        statement = dialect_insert(table).values(hour=hour, site=site, reason=reason, detail=detail, count=1)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.hour, table.c.site, table.c.reason, table.c.detail], set_={"count": table.c.count + 1}
            )
        )


def refusal_counts(site, since_hour):
    """[(reason, detail, refused beacons)] of a site since an hour, most first."""
    table = refused_beacon_hourly
    total = func.sum(table.c.count).label("total")
    statement = (
        select(table.c.reason, table.c.detail, total)
        .where(table.c.site == site, table.c.hour >= since_hour)
        .group_by(table.c.reason, table.c.detail)
        .order_by(total.desc(), table.c.reason, table.c.detail)
    )
    with engine().connect() as connection:
        return [(reason, detail, int(count)) for reason, detail, count in connection.execute(statement)]


def events_received(site, since_ms, until_ms, types):
    """Events of these types of a site the collector accepted from `since_ms` to `until_ms`
    (server clock). Naming the types lets the count read the (site, type, received_at) index alone."""
    with engine().connect() as connection:
        return connection.scalar(
            select(func.count())
            .select_from(event)
            .where(event.c.site == site, event.c.type.in_(types), event.c.received_at >= since_ms, event.c.received_at < until_ms)
        )


def page_views_per_day(site, since_ms):
    """[(UTC day, page views)] for days with any, oldest first, by the server's clock.
    Days are counted as whole days since the epoch, which both dialects divide alike."""
    day_number = (event.c.received_at // DAY_MS).label("day")
    statement = (
        select(day_number, func.count())
        .where(event.c.site == site, event.c.type == "page", event.c.received_at >= since_ms)
        .group_by(day_number)
        .order_by(day_number)
    )
    with engine().connect() as connection:
        return [(clock.utc_day(int(day) * 86_400), count) for day, count in connection.execute(statement)]


def page_view_counts(site, since_ms, column, limit, ref_type=None):
    """[(value, page views)] of one column, most frequent first, NULLs left out;
    only page views of one referrer type when `ref_type` is given."""
    if column not in COUNTABLE_COLUMNS:
        raise ValueError(f"cannot count page views by {column!r}")
    counted = event.c[column]
    views = func.count().label("views")
    statement = (
        select(counted, views)
        .where(event.c.site == site, event.c.type == "page", event.c.received_at >= since_ms, counted.is_not(None))
        .group_by(counted)
        .order_by(views.desc(), counted)
        .limit(limit)
    )
    if ref_type is not None:
        statement = statement.where(event.c.ref_type == ref_type)
    with engine().connect() as connection:
        return [tuple(row) for row in connection.execute(statement)]


def leak_requests(site, since_ms):
    """One row per host of every `leak` event of a site received since `since_ms`: the event's
    id, receipt time and page, and the host, initiator kind and request count it reported. The
    host lists are unnested here rather than in SQL, where each dialect spells JSON differently."""
    statement = (
        select(event.c.id, event.c.received_at, event.c.url, event.c.hosts)
        .where(event.c.site == site, event.c.type == "leak", event.c.received_at >= since_ms)
        .order_by(event.c.received_at, event.c.ts, event.c.id)
    )
    with engine().connect() as connection:
        return [
            {"report": report, "received_at": received_at, "url": url, "host": host["host"], "kind": host["kind"], "n": host["n"]}
            for report, received_at, url, hosts in connection.execute(statement)
            for host in hosts or []
        ]


def invite_domain(site, domain):
    """Mark `domain` invited for `site`; marking it again changes nothing."""
    statement = dialect_insert(invited_domain).values(site=site, domain=domain, invited_at=clock.now_ms())
    with engine().begin() as connection:
        connection.execute(statement.on_conflict_do_nothing())


def invited_domains(site):
    """The domains a publisher marked invited for `site`, alphabetically."""
    statement = select(invited_domain.c.domain).where(invited_domain.c.site == site).order_by(invited_domain.c.domain)
    with engine().connect() as connection:
        return list(connection.scalars(statement))


def store_csp_violations(site, violations):
    """Store checked violations (see `csp_reports.Violation`) received now."""
    received_at = clock.now_ms()
    rows = [
        {
            "site": site,
            "document": v.document,
            "blocked": v.blocked,
            "directive": v.directive,
            "disposition": v.disposition,
            "received_at": received_at,
        }
        for v in violations
    ]
    with engine().begin() as connection:
        connection.execute(csp_violation.insert(), rows)


def csp_violations():
    """Every stored violation report of every site, oldest first, without its receipt time."""
    columns = [csp_violation.c[name] for name in ("site", "document", "blocked", "directive", "disposition")]
    return _dicts(select(*columns).order_by(csp_violation.c.id))


def csp_violation_summary(site, since_ms):
    """A site's violations received since `since_ms`, grouped by what was blocked, where and how, latest first."""
    last_seen = func.max(csp_violation.c.received_at).label("last_seen")
    grouping = (csp_violation.c.blocked, csp_violation.c.directive, csp_violation.c.disposition)
    statement = (
        select(
            *grouping,
            func.count().label("reports"),
            func.count(csp_violation.c.document.distinct()).label("pages"),
            func.min(csp_violation.c.received_at).label("first_seen"),
            last_seen,
        )
        .where(csp_violation.c.site == site, csp_violation.c.received_at >= since_ms)
        .group_by(*grouping)
        .order_by(last_seen.desc(), csp_violation.c.blocked)
    )
    return _dicts(statement)


def _dicts(statement):
    with engine().connect() as connection:
        return [dict(row) for row in connection.execute(statement).mappings()]


def init_db():
    """Bring the schema up to date (existing data is kept); returns the revision now current."""
    return migrations.upgrade(engine())


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Apply the schema migrations the database lacks (existing data is kept)."""
    revision = init_db()
    shown = engine().url.render_as_string(hide_password=True)
    click.echo(f"Database {shown} is at schema revision {revision}.")


def storage_unavailable(error):
    """The database is unreachable or has just restarted (the pool then renews its connections):
    a 503 a client may retry, with the reason, instead of a bare 500."""
    current_app.logger.warning("storage unavailable: %s", error.orig)
    return refuse(503, "storage unavailable: retry later")


def init_app(app):
    """Give the app its engine, wire the CLI in, and migrate now so a fresh deployment
    answers its first beacon."""
    app.extensions[ENGINE_KEY] = connections.create_app_engine(connections.database_url(app.config))
    app.cli.add_command(init_db_command)
    app.register_error_handler(OperationalError, storage_unavailable)
    with app.app_context():
        init_db()
