"""Server-rendered SVG charts (pygal) for the dashboard: an image needs no
script in the dashboard page, and with pygal's own scripts removed the SVG has
none either, so a beacon value in a label can only ever be text."""

from datetime import date, timedelta
from xml.etree import ElementTree

import pygal
from pygal.style import Style

CHART_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    colors=("#3b6ea8",),
    font_family="system-ui, sans-serif",
)
LABEL_EVERY_DAYS = 7
LABEL_CHARACTERS = 60
COMMON_OPTIONS = {"js": [], "style": CHART_STYLE, "width": 900, "show_legend": False, "margin": 12}


def page_views_svg(counts_by_day, first_day, last_day):
    """A bar per UTC day from `first_day` to `last_day` (YYYY-MM-DD), zero where
    no page view arrived, as SVG bytes with no script element."""
    days = _days_between(first_day, last_day)
    chart = pygal.Bar(
        **COMMON_OPTIONS,
        height=280,
        x_label_rotation=30,
        show_minor_x_labels=False,
        x_labels_major_every=LABEL_EVERY_DAYS,
        title="Page views per day (UTC)",
    )
    chart.x_labels = days
    chart.add("Page views", [counts_by_day.get(day, 0) for day in days])
    return _without_scripts(chart.render_tree())


def top_values_svg(rows, title):
    """Horizontal bars for [(label, count)], most frequent at the top. Labels come
    from beacons; pygal writes them as XML text, so markup in them stays text."""
    chart = pygal.HorizontalBar(
        **COMMON_OPTIONS,
        height=80 + 28 * max(len(rows), 1),
        truncate_label=LABEL_CHARACTERS,
        title=title,
    )
    chart.x_labels = [label for label, _ in reversed(rows)]
    chart.add(title, [count for _, count in reversed(rows)])
    return _without_scripts(chart.render_tree())


def _days_between(first_day, last_day):
    first, last = date.fromisoformat(first_day), date.fromisoformat(last_day)
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def _without_scripts(svg):
    """pygal always embeds a configuration script for its tooltips; an <img> would
    never run it, and a chart served on its own must not carry it either."""
    for parent in list(svg.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return ElementTree.tostring(svg, encoding="utf-8", xml_declaration=True)
