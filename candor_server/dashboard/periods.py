"""Date ranges the dashboard and the stats API answer for, named as in Plausible's
Stats API v1 (`period=day|7d|30d|month|90d|custom`, `date=`), in UTC days and
never reaching before the retention window: older data no longer exists."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
# period name -> how many days it spans, ending on `date` (today by default)
ROLLING_DAYS = {"7d": 7, "30d": 30, "90d": 90, "6mo": 183, "12mo": 365}
NAMED = ("day", "yesterday", "month", "custom", *ROLLING_DAYS)


class PeriodError(ValueError):
    """A period the caller can fix: the message says what was wrong."""


@dataclass(frozen=True)
class Period:
    """UTC days `first` to `last`, both included."""

    name: str
    first: date
    last: date

    @property
    def start_ms(self):
        return day_start_ms(self.first)

    @property
    def end_ms(self):
        """The first moment after the period."""
        return day_start_ms(self.last) + DAY_MS

    @property
    def days(self):
        return (self.last - self.first).days + 1

    @property
    def interval_ms(self):
        """Chart buckets: hours for a single day, days otherwise."""
        return HOUR_MS if self.days == 1 else DAY_MS

    def previous(self):
        """The period of the same length just before, for the comparison."""
        return Period(self.name, self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def query_value(self):
        """(period, date) parameters that name this period again in a URL."""
        if self.name == "custom":
            return "custom", f"{self.first.isoformat()},{self.last.isoformat()}"
        return self.name, self.last.isoformat()


def period_from(name, date_value, today, oldest):
    """The period a request names. `today` is the current UTC day, `oldest` the first
    day the retention window still holds; a range that starts earlier is cut to it
    (rolling periods) or refused (a custom range, whose caller asked for those days)."""
    name = name or "30d"
    if name not in NAMED:
        raise PeriodError(f"period must be one of {', '.join(NAMED)}, not {name!r}")
    if name == "custom":
        first, last = _custom_range(date_value)
        if first < oldest:
            raise PeriodError(f"custom range starts before {oldest.isoformat()}: older data is deleted")
        if last > today:
            raise PeriodError(f"custom range ends after today ({today.isoformat()})")
        return Period(name, first, last)
    end = _day(date_value) if date_value else today
    if name == "yesterday":
        end -= timedelta(days=1)
        name, first = "day", end
    elif name == "day":
        first = end
    elif name == "month":
        first = end.replace(day=1)
        end = min(today, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))
    else:
        first = end - timedelta(days=ROLLING_DAYS[name] - 1)
    if end < oldest or end > today:
        raise PeriodError(f"date must lie between {oldest.isoformat()} and {today.isoformat()}")
    return Period(name, max(first, oldest), end)


def _custom_range(value):
    parts = (value or "").split(",")
    if len(parts) != 2:
        raise PeriodError("a custom period needs date=YYYY-MM-DD,YYYY-MM-DD")
    first, last = _day(parts[0]), _day(parts[1])
    if last < first:
        raise PeriodError("a custom period's end comes before its start")
    return first, last


def _day(value):
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def day_start_ms(day):
    """The first moment (ms) of a UTC day."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def utc_date(ms):
    """The UTC day of a stored moment."""
    return datetime.fromtimestamp(ms / 1000, UTC).date()


def first_whole_day(window_start_ms):
    """The first UTC day wholly inside the retention window that starts at `window_start_ms`."""
    return utc_date(window_start_ms) + timedelta(days=1)
