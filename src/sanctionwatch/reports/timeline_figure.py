"""The case timeline as a standalone SVG for the dossier (``figures.timeline_svg``).

It draws a ``web.timeline.lay_out`` result exactly where the case page's template
(``templates/partials/timeline.html``) puts it, without laying it out again; the page's
stylesheet colours (``app.css``, ``case.css``) are written as attributes, since a file has
no stylesheet, and a legend is drawn above (the page has it in HTML).
"""

from __future__ import annotations

from sanctionwatch.reports.map_frame import INK, MUTED
from sanctionwatch.reports.svg_parts import shorten, text
from sanctionwatch.web.timeline import Timeline

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"

TIMELINE_FILLS = {
    "gap": "#6c757d",
    "encounter": "#a4161a",
    "port_call": "#1d6fa5",
    "loitering": "#8a5300",
    "identity": "#5a189a",
    "identity_change": "#5a189a",
    "draught_change": "#2b8a3e",
    "other": "#495057",
}
TIMELINE_LEGEND = (
    ("gap", "AIS gap"),
    ("encounter", "encounter"),
    ("port_call", "port call"),
    ("loitering", "loitering"),
    ("identity", "identity change"),
    ("draught_change", "draught change"),
)
LEGEND_H = 26


def timeline_svg(timeline: Timeline) -> str:
    """``timeline`` (``web.timeline.lay_out``) as a standalone SVG document: the case
    page's drawing, with a legend above it."""
    tl = timeline
    height = tl.height + LEGEND_H
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{tl.width}" height="{height}" '
        f'viewBox="0 0 {tl.width} {height}" font-family="{FONT}" role="img" '
        'aria-labelledby="timeline-title timeline-desc">',
        '<title id="timeline-title">Timeline of the events of the case\'s vessels</title>',
        f'<desc id="timeline-desc">{text(tl.description)}</desc>',
        f'<rect width="{tl.width}" height="{height}" fill="#ffffff"/>',
    ]
    if tl.empty:
        return "\n".join([*head, f'<text x="10" y="18" font-size="12" fill="{MUTED}">'
                          "No events for the case's vessels.</text>", "</svg>"]) + "\n"  # fmt: skip
    legend = [f'<g class="legend" font-size="11" fill="{MUTED}">']
    x = 10
    for kind, label in TIMELINE_LEGEND:
        legend.append(
            f'<rect x="{x}" y="8" width="14" height="10" fill="{TIMELINE_FILLS[kind]}"/>'
            f'<text x="{x + 18}" y="17">{text(label)}</text>'
        )
        x += 30 + 7 * len(label)
    legend.append("</g>")
    body = [
        f'<g transform="translate(0,{LEGEND_H})">',
        f'<g class="ticks" font-size="11" fill="{MUTED}">',
        f'<line x1="{tl.left}" x2="{tl.right}" y1="{tl.axis_y}" y2="{tl.axis_y}" '
        'stroke="#8c959f" stroke-width="1"/>',
    ]
    for tick in tl.ticks:
        body.append(
            f'<line x1="{tick.x}" x2="{tick.x}" y1="{tl.axis_y}" y2="{tl.height}" '
            'stroke="#e7ebef" stroke-width="1"/>'
            f'<text x="{tick.x}" y="{tl.axis_y - 8}" text-anchor="middle">{text(tick.label)}</text>'
        )
    body.append("</g>")
    for lane in tl.lanes:
        body.append(
            f'<g class="lane" data-mmsi="{text(lane.mmsi)}">'
            f'<line x1="0" x2="{tl.width}" y1="{lane.y - 4}" y2="{lane.y - 4}" stroke="#d0d7de" '
            'stroke-width="1"/>'
            f'<text x="6" y="{lane.y + 13}" font-size="12" font-weight="bold" fill="{INK}">'
            f"{text(shorten(lane.label))}<title>{text(lane.label)}</title></text>"
        )
        for row in lane.rows:
            body.append(
                f'<text x="16" y="{row.y + 12}" font-size="11" fill="{MUTED}">'
                f"{text(row.label)}</text>"
            )
        body.append("</g>")
    body.append('<g class="marks">')
    for m in tl.marks:
        fill = TIMELINE_FILLS[m.css.rsplit("ev-", 1)[-1]]
        stroke = f'stroke="{INK}" stroke-dasharray="3 2"' if m.open else 'stroke="#ffffff"'
        common = f'class="{text(m.css)}" fill="{fill}" {stroke} stroke-width="0.5"'
        title = f"<title>{text(m.label)}</title>"
        if m.bar:
            body.append(
                f'<rect {common} x="{m.x}" y="{m.y}" width="{m.width}" height="{m.height}" '
                f'rx="2">{title}</rect>'
            )
        else:
            body.append(f'<polygon {common} points="{m.points}">{title}</polygon>')
    body += ["</g>", "</g>", "</svg>"]
    return "\n".join([*head, *legend, *body]) + "\n"
