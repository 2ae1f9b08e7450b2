"""``build --watch``: serve the built folder on 127.0.0.1 and build again when content changes.

The preview answers like the static hosts the build is made for: a folder's index file
(index.html, or a feed's index.xml / index.json), 404.html for what is missing, and the
redirects of the build's map. Changes are noticed by watching the content folder (with
``--content``) or by polling the site's content version (a database edited in the admin).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from linernotes.export.builder import Build
from linernotes.export.paths import CONTENT_CACHE
from linernotes.export.render import INDEX_FILES, XML_INDEX

POLL_SECONDS = 1.0
INDEX_NAMES = ("index.html", *(name for _, name in INDEX_FILES if name != "index.html"), XML_INDEX)


class PreviewHandler(SimpleHTTPRequestHandler):
    index_pages = INDEX_NAMES  # read by SimpleHTTPRequestHandler (Python 3.12+)
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            for name in INDEX_NAMES:
                if (path / name).is_file():
                    self.path = self.path.split("?", 1)[0] + name
                    break
        elif not path.exists():
            missing = Path(self.directory) / "404.html"
            if missing.is_file():
                body = missing.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return _Body(body)
        return super().send_head()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Body:
    """What send_head hands back for copyfile: the 404 page's bytes."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def read(self, size: int = -1) -> bytes:
        body, self.body = self.body, b""
        return body

    def close(self) -> None:
        pass


def serve(root: Path, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(PreviewHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(build: Build, content: Path | None, port: int, rebuild: Callable[[], object]) -> None:
    server = serve(build.root, port)
    print(f"Serving {build.root} at http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
    # The first build rendered in worker processes; the rebuilds after an edit are small and
    # render here, so the templates are loaded now rather than on the first edit.
    build.warm()

    def rebuild_reporting_problems() -> None:
        try:
            rebuild()
        except Exception as problem:  # a broken file must not stop the preview
            print(f"Not rebuilt: {problem}", flush=True)

    try:
        if content is not None:
            from watchfiles import watch as changes

            # The working database inside the folder changes with every build: not a change.
            def outside_cache(change: object, name: str) -> bool:
                return CONTENT_CACHE not in Path(name).relative_to(content).parts

            # The first, empty, answer says the watch has begun: one more build then picks up
            # what changed while the first one ran.
            caught_up = False
            for changed in changes(
                content, watch_filter=outside_cache, yield_on_timeout=True, rust_timeout=500
            ):
                if changed or not caught_up:
                    caught_up = True
                    rebuild_reporting_problems()
        else:
            from linernotes.site.freshness import current_version

            seen = current_version()
            rebuild_reporting_problems()  # what changed while the first build ran
            while True:
                time.sleep(POLL_SECONDS)
                now = current_version()
                if now != seen:
                    seen = now
                    rebuild_reporting_problems()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
