"""Signup, confirmation, preferences and unsubscribing. The services do the work.

A form posted with ``fragment=1`` (by newsletter.js) gets back only the part of the page that
changes, which the script swaps in place; without JavaScript the same URLs answer with pages.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from linernotes.config.client_ip import client_address
from linernotes.config.csrf import refuses_cross_site_posts
from linernotes.newsletter import previews, rate_limits, services
from linernotes.newsletter.forms import PreferencesForm, SignupForm, consent_text
from linernotes.newsletter.models import Frequency, Source, Subscriber, SubscriberState
from linernotes.newsletter.tokens import (
    ExpiredLink,
    InvalidLink,
    Purpose,
    make_token,
    read_token,
)

logger = logging.getLogger(__name__)

PLACEMENTS = frozenset({"footer", "page"})


# The signup form is on every page, and pages are cached and shared, so it carries no CSRF
# token; where the POST came from is checked instead.
@refuses_cross_site_posts
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "newsletter/signup.html", {"form": SignupForm()})
    placement = request.POST.get("placement", "page")
    placement = placement if placement in PLACEMENTS else "page"
    fragment = request.POST.get("fragment") == "1"
    if not rate_limits.allow_attempt_from(client_address(request)):
        return _too_many(request, fragment)
    form = SignupForm(request.POST)
    if not form.is_valid():
        template = "newsletter/partials/signup_form.html" if fragment else "newsletter/signup.html"
        context = {"form": form, "placement": placement if fragment else "page"}
        return render(request, template, context, status=400)
    if form.filled_by_a_bot:
        # Answer as if it worked, so the bot learns nothing; store and send nothing.
        logger.info("Ignored a newsletter signup with the honeypot field filled in")
    elif not rate_limits.allow_attempt_for(form.cleaned_data["email"]):
        return _too_many(request, fragment)
    else:
        services.signup(
            email=form.cleaned_data["email"],
            topics=list(form.cleaned_data["topics"]),
            consent=consent_text(),
        )
    if fragment:
        return render(request, "newsletter/partials/signup_done.html")
    return redirect("newsletter:check-inbox")


def _too_many(request: HttpRequest, fragment: bool) -> HttpResponse:
    template = "newsletter/partials/too_many.html" if fragment else "newsletter/too_many.html"
    response = render(request, template, status=429)
    response["Retry-After"] = str(rate_limits.WINDOW_SECONDS)
    return response


@require_safe
def check_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/check_inbox.html")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = read_token(token, Purpose.CONFIRM)
    except ExpiredLink as expired:
        context = {"token": token, "pending": expired.subscriber.state == SubscriberState.PENDING}
        return render(request, "newsletter/link_expired.html", context, status=410)
    except InvalidLink:
        return _invalid_link(request)
    if request.method == "POST":
        if services.confirm(subscriber):
            messages.success(request, "You are subscribed. Welcome!")
        return redirect(_preferences_path(subscriber))
    context = {"subscriber": subscriber, "preferences_path": _preferences_path(subscriber)}
    return render(request, "newsletter/confirm.html", context)


@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    try:
        subscriber = read_token(token, Purpose.CONFIRM)
    except ExpiredLink as expired:
        subscriber = expired.subscriber
    except InvalidLink:
        return _invalid_link(request)
    if not _may_email(request, subscriber.email):
        return _too_many(request, fragment=False)
    services.resend_confirmation(subscriber)
    return redirect("newsletter:check-inbox")


def _may_email(request: HttpRequest, email: str) -> bool:
    """Whether a request may make us send another confirmation email (both limits count)."""
    from_here = rate_limits.allow_attempt_from(client_address(request))
    return rate_limits.allow_attempt_for(email) and from_here


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = read_token(token, Purpose.PREFERENCES)
    except (InvalidLink, ExpiredLink):
        return _invalid_link(request)
    chosen = list(subscriber.topics.all())
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"frequency": subscriber.frequency, "topics": chosen},
        chosen=chosen,
    )
    if request.method == "POST" and request.POST.get("action") == "resend":
        # A pending subscriber confirms through a confirmation link, which expires, never
        # here: this link does not, and must not stand in for one.
        if not _may_email(request, subscriber.email):
            return _too_many(request, fragment=False)
        services.resend_confirmation(subscriber)
        return redirect("newsletter:check-inbox")
    if request.method == "POST":
        if _act_on_preferences(request, subscriber, form):
            return redirect(request.path)
        status = 400
    else:
        status = 200
    context = {"subscriber": subscriber, "form": form, "states": SubscriberState}
    return render(request, "newsletter/preferences.html", context, status=status)


def _act_on_preferences(
    request: HttpRequest, subscriber: Subscriber, form: PreferencesForm
) -> bool:
    """Carry out the button that was pressed; False when the form needs correcting."""
    action = request.POST.get("action", "save")
    if action == "unsubscribe":
        if services.unsubscribe(subscriber, source=Source.PREFERENCES):
            messages.success(request, "You are unsubscribed. We will not email you again.")
    elif action == "resubscribe":
        if services.resubscribe(subscriber, source=Source.PREFERENCES):
            messages.success(request, "You are subscribed again.")
    elif form.is_valid():
        services.change_preferences(
            subscriber,
            topics=list(form.cleaned_data["topics"]),
            frequency=Frequency(form.cleaned_data["frequency"]),
        )
        messages.success(request, "Your preferences are saved.")
    else:
        return False
    return True


# Mail clients send the RFC 8058 one-click POST without any cookie or CSRF token; the signed
# token in the address is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = read_token(token, Purpose.UNSUBSCRIBE)
    except (InvalidLink, ExpiredLink):
        return _invalid_link(request)
    context = {"subscriber": subscriber, "preferences_path": _preferences_path(subscriber)}
    if request.method != "POST":
        return render(request, "newsletter/unsubscribe.html", context)
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    source = Source.ONE_CLICK if one_click else Source.UNSUBSCRIBE_PAGE
    services.unsubscribe(subscriber, source=source)
    return render(request, "newsletter/unsubscribed.html", context)


# A share link of a post's preview: the post's email, for its holder alone.
@require_safe
def preview(request: HttpRequest, token: str) -> HttpResponseBase:
    return previews.email_page(request, token)


def _preferences_path(subscriber: Subscriber) -> str:
    return reverse("newsletter:preferences", args=[make_token(subscriber, Purpose.PREFERENCES)])


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/invalid_link.html", status=404)
