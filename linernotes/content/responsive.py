"""``<picture>`` markup for an image that has smaller copies, shared by post bodies and pages.

Free of Django, like the Markdown renderer that uses it: the values come from
``content.pictures``, which knows where the copies are.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class ResponsiveImage:
    """What a browser needs to choose a copy: ``sources`` are (MIME type, srcset) of the newer
    formats, preferred first; ``srcset`` is the ``<img>``'s own, in a format every browser
    reads; ``sizes`` says how wide the image is shown."""

    sources: tuple[tuple[str, str], ...]
    srcset: str
    sizes: str


def wrap_img(img_html: str, image: ResponsiveImage) -> str:
    """``img_html`` (a single ``<img>`` tag) given srcset and sizes, inside a ``<picture>``
    with a ``<source>`` per newer format. Without sources the ``<img>`` stands alone."""
    sizes = escape(image.sizes)
    own = f' srcset="{escape(image.srcset)}" sizes="{sizes}"' if image.srcset else ""
    img = img_html.replace("<img", "<img" + own, 1)
    sources = "".join(
        f'<source type="{escape(mime_type)}" srcset="{escape(srcset)}" sizes="{sizes}">'
        for mime_type, srcset in image.sources
    )
    return f"<picture>{sources}{img}</picture>" if sources else img
