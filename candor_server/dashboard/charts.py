"""Server-rendered SVG charts (pygal) for the dashboard: an image needs no
script in the dashboard page, and with pygal's own scripts removed the SVG has
none either, so a beacon value in a label can only ever be text."""

from xml.etree import ElementTree

import pygal
from pygal.style import Style

CHART_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    colors=("#3b6ea8", "#d9822b"),
    font_family="system-ui, sans-serif",
)
CHART_OPTIONS = {"js": [], "style": CHART_STYLE, "width": 900, "margin": 12}


def traffic_svg(series, hourly):
    """Visitors and page views per bucket of [(UTC datetime, {"visitors", "pageviews"})],
    as SVG bytes with no script element."""
    labels = [moment.strftime("%H:%M" if hourly else "%Y-%m-%d") for moment, _ in series]
    chart = pygal.Line(
        **CHART_OPTIONS,
        height=280,
        x_label_rotation=30,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, len(labels) // 12),
        legend_at_bottom=True,
        fill=False,
        dots_size=2,
        title="Visitors and page views per hour (UTC)" if hourly else "Visitors and page views per day (UTC)",
    )
    chart.x_labels = labels
    chart.add("Visitors", [values["visitors"] for _, values in series])
    chart.add("Page views", [values["pageviews"] for _, values in series])
    return _without_scripts(chart.render_tree())


def _without_scripts(svg):
    """pygal always embeds a configuration script for its tooltips; an <img> would
    never run it, and a chart served on its own must not carry it either."""
    for parent in list(svg.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return ElementTree.tostring(svg, encoding="utf-8", xml_declaration=True)
