"""Writes of the seo app: keeping moved addresses answering."""

from __future__ import annotations

from django.db import transaction

from linernotes.seo.models import Match, Redirect, RedirectStatus


@transaction.atomic
def record_moved_address(*, old_path: str, new_path: str) -> None:
    """Keep ``old_path`` answering with a permanent redirect to ``new_path``.

    Chains collapse (rules that led to ``old_path`` now lead straight to ``new_path``) and the
    new address, being live again, stops redirecting anywhere.
    """
    if old_path == new_path:
        return
    Redirect.objects.filter(match=Match.EXACT, old_path=new_path).delete()
    for rule in Redirect.objects.filter(match=Match.EXACT, new_path=old_path):
        rule.new_path = new_path
        rule.save(update_fields=["new_path", "updated_at"])
    Redirect.objects.update_or_create(
        old_path=old_path,
        defaults={
            "new_path": new_path,
            "match": Match.EXACT,
            "status": RedirectStatus.MOVED_PERMANENTLY,
            "automatic": True,
        },
    )


def add_redirect(
    *,
    old_path: str,
    new_path: str,
    status: int = RedirectStatus.MOVED_PERMANENTLY,
    is_regex: bool = False,
    position: int = 0,
) -> Redirect:
    """Create or replace the manual rule for ``old_path``; invalid rules raise ValidationError."""
    rule, _ = Redirect.objects.update_or_create(
        old_path=old_path,
        defaults={
            "new_path": new_path,
            "status": status,
            "match": Match.REGEX if is_regex else Match.EXACT,
            "position": position,
            "automatic": False,
        },
    )
    return rule


def remove_redirects(*, old_paths: list[str], dry_run: bool = False) -> list[Redirect]:
    """Delete the rules for ``old_paths``; returns them. With ``dry_run`` nothing is deleted."""
    rules = list(Redirect.objects.filter(old_path__in=old_paths))
    if not dry_run:
        for rule in rules:
            rule.delete()
    return rules
