"""A site's goals, kept so the dashboard shows their conversions on every visit to it:
"visited a page matching /signup*" or "sent the custom event signup"."""

from sqlalchemy import delete, insert, select

from ..storage.tables import goal
from .analytics import Goal

MAX_GOALS = 20
MAX_VALUE_LENGTH = 200


class GoalError(ValueError):
    """A goal the publisher can correct; the message says how."""


def checked_goal(kind, value):
    value = (value or "").strip()
    if kind not in ("page", "event"):
        raise GoalError("a goal is a page path pattern or an event name")
    if not 0 < len(value) <= MAX_VALUE_LENGTH:
        raise GoalError(f"a goal needs 1 to {MAX_VALUE_LENGTH} characters")
    if kind == "page" and not value.startswith("/"):
        raise GoalError("a page goal is a path such as /signup or /blog/*")
    return Goal(kind, value)


def goals_of(connection, site):
    rows = connection.execute(select(goal.c.kind, goal.c.value).where(goal.c.site == site).order_by(goal.c.id))
    return [Goal(row.kind, row.value) for row in rows]


def add_goal(connection, site, new_goal):
    """Keep a goal; an existing one is left as it is."""
    if new_goal in goals_of(connection, site):
        return
    if len(goals_of(connection, site)) >= MAX_GOALS:
        raise GoalError(f"at most {MAX_GOALS} goals per site")
    connection.execute(insert(goal).values(site=site, kind=new_goal.kind, value=new_goal.value))
    connection.commit()


def remove_goal(connection, site, old_goal):
    connection.execute(delete(goal).where(goal.c.site == site, goal.c.kind == old_goal.kind, goal.c.value == old_goal.value))
    connection.commit()
