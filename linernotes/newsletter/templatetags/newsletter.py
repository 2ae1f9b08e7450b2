from django import template

from linernotes.newsletter.forms import consent_text

register = template.Library()


@register.simple_tag
def newsletter_consent() -> str:
    """The consent sentence under every signup form (escaped by the template engine)."""
    return consent_text()
