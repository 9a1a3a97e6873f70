"""Page assembly: the vendored assets, the Content-Security-Policy and the Jinja templates.

vis-network 9.1.2 (the copy that ships inside pyvis) and our own scripts are vendored in
``viz/assets/`` and inlined, so a page loads nothing from the network and works from ``file://``.
The page carries a Content-Security-Policy that allows only its own inline scripts (by SHA-256 hash
of their exact text), no inline event handlers and no fetch of any kind: even a bug elsewhere could
neither run an injected handler nor phone home.

Templates are rendered with autoescaping on; the only raw text placed in a page is an inlined asset
(checked by :func:`assets` to contain no closing tag) or JSON from :func:`powermap.viz.text.script_json`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, Final

import jinja2
from markupsafe import Markup

VIS_JS: Final = "vis-network.min.js"
VIS_CSS: Final = "vis-network.css"
BOOT_JS: Final = "powermap-boot.js"
APP_JS: Final = "powermap-map.js"
PATHS_JS: Final = "powermap-paths.js"
PANELS_JS: Final = "powermap-panels.js"
#: Font stack for canvas labels and the page: system fonts first, then the common CJK families.
FONT_FACE: Final = (
    'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", sans-serif'
)
_CLOSING: Final = {".js": "</script", ".css": "</style"}


def script_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def content_security_policy(scripts: Sequence[str]) -> str:
    """Only these inline scripts may run; nothing may be fetched (images and fonts only as data:)."""
    hashes = " ".join(script_hash(script) for script in scripts)
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
        "font-src data:; base-uri 'none'; form-action 'none'"
    )


@cache
def assets() -> dict[str, str]:
    """The vendored and own assets, line endings normalised as an HTML parser would (for the hashes)."""
    folder = resources.files("powermap.viz").joinpath("assets")
    found: dict[str, str] = {}
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if suffix not in _CLOSING:
            continue
        text = entry.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
        if _CLOSING[suffix] in text.lower() or "<!--" in text:
            raise RuntimeError(f"viz asset {entry.name} cannot be inlined: it contains {_CLOSING[suffix]!r} or '<!--'")
        found[entry.name] = text
    return found


def inline(name: str) -> Markup:
    """An asset as raw text for the template (checked by :func:`assets` to be safe to inline)."""
    return Markup(assets()[name])  # noqa: S704


def render_template(name: str, **context: Any) -> str:
    """Render one of ``viz/templates`` with autoescaping and strict undefined variables."""
    page: str = _environment().get_template(name).render(**context)
    return page


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("powermap.viz", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
