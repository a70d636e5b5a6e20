"""Check the links of the built HTML book without the network.

Every internal link (a relative URL, or an absolute one on the site's own address) must lead to a
file of the site and, when it has a #fragment and leads to a page, to an element with that id there.
External links are collected and returned, never fetched: the book is checked offline.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

# Attributes that make the browser follow or load a URL.
URL_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",),
    "img": ("src",), "script": ("src",), "iframe": ("src",), "embed": ("src",),
    "source": ("src",), "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "object": ("data",), "form": ("action",),
}
# Schemes that are no place to check: a mail, a script, inline data.
SKIPPED_SCHEMES = {"mailto", "javascript", "data", "tel", "blob", "about"}
PAGE_SUFFIXES = {".html", ".htm"}
# Static files, not pages: the themes copy Jinja macro templates (webpack-macros.html) there as they
# are, unrendered and linked from no page.
ASSET_FOLDERS = {"_static"}


@dataclass(frozen=True)
class BrokenLink:
    page: str  # the page, relative to the site folder
    url: str  # the link as written
    reason: str

    def __str__(self):
        return f"{self.page}: {self.url}: {self.reason}"


@dataclass
class LinkReport:
    broken: list[BrokenLink] = field(default_factory=list)
    # External URL -> pages (relative to the site folder) that link to it.
    external: dict[str, set[str]] = field(default_factory=dict)
    internal_checked: int = 0
    pages: int = 0


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "base" and attrs.get("href"):
            self.base = attrs["href"]
        for key in URL_ATTRIBUTES.get(tag, ()):
            if attrs.get(key) is not None:
                self.urls.append(attrs[key].strip())
        if tag in ("img", "source") and attrs.get("srcset"):
            self.urls += [part.split()[0] for part in attrs["srcset"].split(",") if part.strip()]
        # <meta http-equiv="refresh" content="0; url=book/intro.html">: Jupyter Book's index.html.
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            content = attrs.get("content") or ""
            if "url=" in content.lower():
                self.urls.append(content[content.lower().index("url=") + 4:].strip(" '\""))


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def check_links(site: Path, site_url: str | None = None) -> LinkReport:
    """Check every link of every HTML file under site (the built book's folder).

    site_url: the address the site is published at (e.g. https://org.github.io/repo/); links to
    it count as internal. Returns the broken internal links and the external links.
    """
    site = site.resolve()
    site_url = site_url.rstrip("/") + "/" if site_url else None
    pages = sorted(p for p in site.rglob("*") if p.suffix in PAGE_SUFFIXES and p.is_file()
                   and not ASSET_FOLDERS.intersection(p.relative_to(site).parts[:-1]))
    parsed = {p: _parse(p) for p in pages}
    report = LinkReport(pages=len(pages))
    for page, parser in parsed.items():
        rel = page.relative_to(site).as_posix()
        folder = posixpath.dirname(rel)
        if parser.base is not None:  # no page of ours sets <base>; resolve against it if one does
            folder = posixpath.dirname(posixpath.join(folder, urlsplit(parser.base).path))
        for url in parser.urls:
            if not url or url == "#":
                continue
            parts = urlsplit(url)
            if parts.scheme.lower() in SKIPPED_SCHEMES:
                continue
            if site_url and url.startswith(site_url):
                parts, folder_of_link = urlsplit(url[len(site_url):]), ""
            elif parts.scheme or parts.netloc:
                report.external.setdefault(url, set()).add(rel)
                continue
            else:
                folder_of_link = folder
            report.internal_checked += 1
            problem = _check_internal(site, parsed, rel, folder_of_link, parts)
            if problem:
                report.broken.append(BrokenLink(rel, url, problem))
    return report


def _check_internal(site: Path, parsed: dict[Path, _PageParser], page: str, folder: str,
                    parts: SplitResult) -> str | None:
    path = unquote(parts.path)
    if path.startswith("/"):
        return "root-relative: breaks when the site is served from a sub-folder (a GitHub Pages project site)"
    if path:
        target_rel = posixpath.normpath(posixpath.join(folder, path))
        if target_rel == ".." or target_rel.startswith("../"):
            return "leads outside the site"
    else:  # "#id" or "?query": this page
        target_rel = page
    target = site if target_rel in ("", ".") else site.joinpath(*target_rel.split("/"))
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return f"no such file: {target.relative_to(site).as_posix()}"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix in PAGE_SUFFIXES:
        ids = (parsed.get(target) or _parse(target)).ids
        if fragment not in ids:
            return f"{target.relative_to(site).as_posix()} has no element with id {fragment!r}"
    return None
