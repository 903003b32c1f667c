"""``nianbao serve``: a small local web front end for the office clerk who does not use a terminal.

Server-rendered pages (Starlette + Jinja2, autoescaped), a little vendored JavaScript for the drop
zone and the progress bar, no CDN. Every action goes through the library API (:mod:`nianbao.api`),
so the CLI and the web page can be used on the same workspace one after the other.
"""

from nianbao.web.app import create_app

__all__ = ["create_app"]
