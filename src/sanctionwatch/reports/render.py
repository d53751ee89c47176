"""The dossier rendered: ``dossier.json`` (the data, reports/dossier.py), ``dossier.html``
(standalone, one file: its styles inline, its figures as data URLs) and ``dossier.pdf``
(Typst, through the ``typst`` wheel, offline: its fonts are the compiler's own).

No value is ever written into markup by string pasting. The HTML template escapes
everything (autoescape; the figures are SVG images in ``<img>``, where no script runs).
The Typst template reads ``dossier.json`` with ``json()`` and places its strings as text,
which Typst never parses as markup: a name holding ``#``, ``$``, ``*``, ``_``, ``@`` or
``<`` prints as written.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from sanctionwatch.errors import DossierError

DATA = "dossier.json"
HTML = "dossier.html"
PDF = "dossier.pdf"
MAP = "map.svg"
TIMELINE = "timeline.svg"


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sanctionwatch.reports", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["value"] = value_text
    environment.filters["pairs"] = pairs_text
    return environment


def value_text(value: Any) -> str:
    """A value as the dossier prints it: none as a dash, lists joined, dicts as JSON."""
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def pairs_text(mapping: dict[str, Any] | None, skip: tuple[str, ...] = ()) -> str:
    """``key=value, ...`` (detector parameters, an event's details)."""
    if not mapping:
        return "—"
    return ", ".join(f"{k}={value_text(v)}" for k, v in mapping.items() if k not in skip)


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def write_figures(out_dir: Path, figures: dict[str, str | None]) -> dict[str, str | None]:
    """The figures that were drawn, as files in ``out_dir``; their file names by figure."""
    names = {"map": MAP, "timeline": TIMELINE}
    written: dict[str, str | None] = {}
    for key, svg in figures.items():
        written[key] = None
        if svg is not None:
            (out_dir / names[key]).write_text(svg, encoding="utf-8")
            written[key] = names[key]
    return written


def render_html(dossier: dict[str, Any], figures: dict[str, str | None]) -> str:
    """The standalone HTML dossier."""
    urls = {key: _data_url(svg) for key, svg in figures.items() if svg is not None}
    return _environment().get_template("dossier.html").render(d=dossier, figures=urls)


def typst_source() -> str:
    """The Typst template of the PDF (it reads ``dossier.json`` beside it)."""
    template = resources.files("sanctionwatch.reports").joinpath("templates/dossier.typ")
    return template.read_text("utf-8")


def render_pdf(out_dir: Path, built_at: datetime | None = None) -> Path:
    """Compile ``dossier.typ`` over ``out_dir``'s ``dossier.json`` and figures into
    ``out_dir/dossier.pdf``, in a private directory (Typst reads files only under its root)."""
    import typst

    with tempfile.TemporaryDirectory(prefix="sw-dossier-") as work:
        root = Path(work)
        (root / "dossier.typ").write_text(typst_source(), encoding="utf-8")
        for name in (DATA, MAP, TIMELINE):
            if (out_dir / name).exists():
                shutil.copyfile(out_dir / name, root / name)
        target = out_dir / PDF
        try:
            typst.compile(
                str(root / "dossier.typ"),
                output=str(target),
                root=str(root),
                timestamp=int((built_at or datetime.now(UTC)).timestamp()),
            )
        except Exception as exc:  # typst raises its own error types (TypstError, ...)
            raise DossierError(f"the dossier PDF could not be compiled: {exc}") from exc
    return target


def render(out_dir: Path, dossier: dict[str, Any], figures: dict[str, str | None]) -> list[Path]:
    """Write the dossier's data, figures, HTML and PDF into ``out_dir``; the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    dossier = {**dossier, "figures": write_figures(out_dir, figures)}
    data = out_dir / DATA
    data.write_text(json.dumps(dossier, ensure_ascii=False, indent=1), encoding="utf-8")
    html = out_dir / HTML
    html.write_text(render_html(dossier, figures), encoding="utf-8")
    built = datetime.fromisoformat(dossier["built_at"].replace("Z", "+00:00"))
    pdf = render_pdf(out_dir, built)
    drawn = [out_dir / name for name in dossier["figures"].values() if name is not None]
    return [data, *drawn, html, pdf]
