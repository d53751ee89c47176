"""The documentation: the MkDocs site builds with --strict, every relative link and #anchor in
docs/*.md and README.md points at a file and heading that exist (as GitHub renders them, where
most readers read these pages), and docs/api.md is what tools/make_api_reference.py makes of
the app today.

MkDocs itself only notes the guides' links into the repository outside docs/
(../bench/RESULTS.md): mkdocs.yml sets ``validation.links.not_found: info``, and the checker
below is what fails on a broken one, inside docs/ or out.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]

FENCE = re.compile(r"^ {0,3}(```|~~~)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# Inline links and images: [text](target "title"); the text may hold `code` and brackets one deep.
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, numbered from 1."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def heading_text(markdown: str) -> str:
    """A heading's text as rendered: links keep their text, code and emphasis lose their marks."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = text.replace("`", "")
    text = re.sub(r"(\*\*|__|\*)(.+?)\1", r"\2", text)
    return re.sub(r"<[^>]+>", "", text)


def github_slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (letters, digits, ``_``,
    ``-`` and spaces kept), each space a hyphen."""
    kept = []
    for char in heading_text(heading).strip().lower():
        category = unicodedata.category(char)
        if char in " -_" or category[0] in "LN" or category == "Mn":
            kept.append(char)
    return "".join(kept).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading anchor of a page; repeats get -1, -2, ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for _, line in prose_lines(page.read_text("utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        slug = github_slug(match.group(2))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


@dataclass(frozen=True)
class Link:
    page: Path
    line: int
    target: str

    def __str__(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}: {self.target}"


def relative_links(page: Path) -> list[Link]:
    """The links of a page that point into the repository (not http:, mailto:, ...)."""
    links = []
    for number, line in prose_lines(page.read_text("utf-8")):
        for match in LINK.finditer(CODE_SPAN.sub("", line)):
            target = match.group(1)
            if not SCHEME.match(target) and not target.startswith("//"):
                links.append(Link(page, number, target))
    return links


def broken(link: Link) -> str | None:
    """Why a link does not resolve, or None when it does."""
    path, _, anchor = link.target.partition("#")
    target = (link.page.parent / unquote(path)).resolve() if path else link.page
    if not target.exists():
        return "no such file"
    if ROOT not in target.parents and target != ROOT:
        return "outside the repository"
    if anchor and target.suffix == ".md" and unquote(anchor) not in anchors(target):
        return f"no heading #{anchor} in {target.relative_to(ROOT)}"
    return None


def test_every_relative_link_and_anchor_resolves() -> None:
    links = [link for page in PAGES for link in relative_links(page)]
    assert len(links) > 50  # the checker sees the pages' links at all
    problems = [f"{link} ({why})" for link in links if (why := broken(link)) is not None]
    assert problems == []


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Offline, all of it", "offline-all-of-it"),
        ("2. Users and roles", "2-users-and-roles"),
        ("`GET /api/cases/{case_id}`", "get-apicasescase_id"),
        (
            "The workspace (issue 15): the case page and its map data (`bench/bench_workspace.py`)",
            "the-workspace-issue-15-the-case-page-and-its-map-data-benchbench_workspacepy",
        ),
        ("Screening: **what** a match needs", "screening-what-a-match-needs"),
        ("Ким Чен Ын и 김정은", "ким-чен-ын-и-김정은"),
        ("[Linked](other.md) heading", "linked-heading"),
    ],
)
def test_github_slug(heading: str, slug: str) -> None:
    assert github_slug(heading) == slug


def test_the_checker_finds_broken_files_and_anchors(tmp_path: Path) -> None:
    page = ROOT / "docs" / "index.md"  # a real page as the base of made-up links
    assert broken(Link(page, 1, "tutorial.md#the-dossier")) is None
    assert broken(Link(page, 1, "../README.md#status")) is None
    assert broken(Link(page, 1, "img/case.png")) is None
    assert broken(Link(page, 1, "#where-to-go-next")) is None
    assert broken(Link(page, 1, "no-such-page.md")) == "no such file"
    assert broken(Link(page, 1, "tutorial.md#no-such-heading")) == (
        "no heading #no-such-heading in docs/tutorial.md"
    )
    assert broken(Link(page, 1, "../../../etc/hostname")) in (
        "no such file",
        "outside the repository",
    )
    # headings inside fenced code are no anchors, and links inside code are no links
    sample = tmp_path / "sample.md"
    sample.write_text("# Real\n```\n# not a heading [x](gone.md)\n```\n`[y](gone.md)` [z](#real)\n")
    assert anchors(sample) == {"real"}
    assert [link.target for link in relative_links(sample)] == ["#real"]


def test_mkdocs_builds_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for name in ("index", "tutorial", "security", "api", "workspace", "team-setup"):
        built = site / (name + ".html" if name == "index" else f"{name}/index.html")
        assert built.is_file(), built
    assert (site / "img" / "case.png").is_file()


def load_api_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_api_reference", ROOT / "tools" / "make_api_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_api_reference_is_up_to_date() -> None:
    """docs/api.md: regenerate with ``python tools/make_api_reference.py``."""
    page = (ROOT / "docs" / "api.md").read_text("utf-8")
    assert page == load_api_tool().generate()


def test_api_reference_names_every_route_and_its_role() -> None:
    page = (ROOT / "docs" / "api.md").read_text("utf-8")
    section = page.split("### `GET /api/audit`", 1)[1].split("###", 1)[0]
    assert "Who may call it: `admin`." in section
    section = page.split("### `POST /api/cases/{case_id}/notes`", 1)[1].split("###", 1)[0]
    assert "Who may call it: `analyst`." in section
    section = page.split("### `POST /api/login`", 1)[1].split("###", 1)[0]
    assert "Who may call it: anyone (no credential)." in section
    assert "not stated" not in page


def first_code_block(page: Path) -> str:
    return page.read_text("utf-8").split("```\n", 2)[1]


def test_the_home_page_gives_the_readmes_two_commands() -> None:
    """docs/index.md repeats the README's two commands: the copy must not drift."""
    commands = first_code_block(ROOT / "README.md")
    assert commands.startswith("make demo")
    assert commands == first_code_block(ROOT / "docs" / "index.md")
