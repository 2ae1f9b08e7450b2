from django import template

from linernotes.content.sanitise import safe_href
from linernotes.newsletter.forms import consent_text

register = template.Library()


@register.simple_tag
def newsletter_consent() -> str:
    """The consent sentence under every signup form (escaped by the template engine)."""
    return consent_text()


@register.filter(name="safe_href")
def safe_href_filter(url: str) -> str:
    """A stored URL field, or nothing, unless it leads to a web page (http or https)."""
    return safe_href(url)
