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


def page_views_svg(counts_by_day, first_day, last_day):
    """A bar per UTC day from `first_day` to `last_day` (YYYY-MM-DD), zero where
    no page view arrived, as SVG bytes with no script element."""
    days = _days_between(first_day, last_day)
    chart = pygal.Bar(
        js=[],
        style=CHART_STYLE,
        width=900,
        height=280,
        show_legend=False,
        x_label_rotation=30,
        show_minor_x_labels=False,
        x_labels_major_every=LABEL_EVERY_DAYS,
        title="Page views per day (UTC)",
        margin=12,
    )
    chart.x_labels = days
    chart.add("Page views", [counts_by_day.get(day, 0) for day in days])
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
