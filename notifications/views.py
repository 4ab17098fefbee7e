"""Reader endpoints: subscribe (email, push, webhook), confirm, unsubscribe.

Public pages are cached without CSRF tokens, so reader POSTs are origin-checked instead; the
unsubscribe endpoint is authorised by its signed token alone, because mail providers send the
RFC 8058 one-click POST from their own servers, with no Origin of ours.
"""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications import selectors, services
from notifications.channels.push import (
    InvalidPushSubscription,
    clean_subscription,
    push_enabled,
)
from notifications.conf import conf
from notifications.forms import EmailSubscribeForm, TargetForm, WebhookSubscribeForm
from notifications.tokens import (
    TokenExpired,
    TokenInvalid,
    read_confirm_token,
    read_unsubscribe_token,
    unsubscribe_url,
)
from outagedesk.csrf import origin_checked_post
from outagedesk.errors import too_many_requests
from outagedesk.ratelimit import client_address, hash_identifier, rate_limited

MAX_PUSH_BODY_BYTES = 4096
# Both forms are on one page: distinct id prefixes keep their labels pointing at their inputs.
EMAIL_FORM_ID = "email_%s"
WEBHOOK_FORM_ID = "hook_%s"


def _address_limited(request) -> bool:
    key = f"subscribe:addr:{hash_identifier(client_address(request))}"
    return rate_limited(
        key,
        limit=conf("NOTIFY_SUBSCRIBE_PER_ADDRESS"),
        window_seconds=conf("NOTIFY_SUBSCRIBE_WINDOW"),
    )


def _email_limited(email: str) -> bool:
    key = f"subscribe:email:{hash_identifier(email)}"
    return rate_limited(
        key,
        limit=conf("NOTIFY_SUBSCRIBE_PER_EMAIL"),
        window_seconds=conf("NOTIFY_SUBSCRIBE_WINDOW"),
    )


def _too_many(request):
    return too_many_requests(request, retry_after=conf("NOTIFY_SUBSCRIBE_WINDOW"))


def _page_context(request, *, service_slug: str, incident_slug: str, **forms) -> dict:
    service = selectors.service_for_slug(service_slug)
    incident = selectors.incident_for_slug(service, incident_slug) if service else None
    initial = {
        "service": service.slug if service else "",
        "incident": incident.slug if incident else "",
        "language": get_language() or settings.LANGUAGE_CODE,
    }
    return {
        "service": service,
        "incident": incident,
        "services": selectors.subscribable_services(),
        "email_form": forms.get("email_form")
        or EmailSubscribeForm(initial=initial, auto_id=EMAIL_FORM_ID),
        "webhook_form": forms.get("webhook_form")
        or WebhookSubscribeForm(initial=initial, auto_id=WEBHOOK_FORM_ID),
        "push_enabled": push_enabled(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY,
        "language": initial["language"],
    }


@origin_checked_post
@require_http_methods(["GET", "POST"])
@never_cache
def subscribe(request):
    """GET: the subscribe page (email, push, webhook). POST: the email or webhook form; the
    public incident page posts the email form here directly."""
    if request.method == "GET":
        context = _page_context(
            request,
            service_slug=request.GET.get("service", "")[:60],
            incident_slug=request.GET.get("incident", "")[:120],
        )
        return render(request, "notifications/subscribe.html", context)
    if _address_limited(request):
        return _too_many(request)
    channel = request.POST.get("channel", "email")
    if channel == "webhook":
        return _subscribe_webhook(request)
    return _subscribe_email(request)


def _invalid(request, **forms):
    form = next(iter(forms.values()))
    context = _page_context(
        request,
        service_slug=str(form.data.get("service", ""))[:60],
        incident_slug=str(form.data.get("incident", ""))[:120],
        **forms,
    )
    return render(request, "notifications/subscribe.html", context, status=400)


def _subscribe_email(request):
    form = EmailSubscribeForm(request.POST, auto_id=EMAIL_FORM_ID)
    if not form.is_valid():
        return _invalid(request, email_form=form)
    email = form.cleaned_data["email"]
    if _email_limited(email):
        return _too_many(request)
    services.subscription_request_email(
        email=email,
        service=form.cleaned_data["service_obj"],
        incident=form.cleaned_data["incident_obj"],
        language=form.language_or(get_language()),
    )
    # The same page whether the address was new, waiting or already subscribed.
    return render(
        request,
        "notifications/check_inbox.html",
        {
            "service": form.cleaned_data["service_obj"],
            "incident": form.cleaned_data["incident_obj"],
        },
    )


def _subscribe_webhook(request):
    form = WebhookSubscribeForm(request.POST, auto_id=WEBHOOK_FORM_ID)
    if not form.is_valid():
        return _invalid(request, webhook_form=form)
    if _email_limited(form.cleaned_data["email"]):
        return _too_many(request)
    subscriber, secret = services.subscription_create_webhook(
        url=form.cleaned_data["url"],
        service=form.cleaned_data["service_obj"],
        incident=form.cleaned_data["incident_obj"],
        language=form.language_or(get_language()),
        owner_email=form.cleaned_data["email"],
    )
    # never_cache on the view keeps the secret, shown only here, out of every cache.
    return render(
        request,
        "notifications/webhook_created.html",
        {
            "subscriber": subscriber,
            "secret": secret,
            "unsubscribe_url": unsubscribe_url(subscriber),
            "service": subscriber.service,
            "incident": subscriber.incident,
        },
        status=201,
    )


def _json_body(request) -> dict | None:
    if len(request.body) > MAX_PUSH_BODY_BYTES:
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@origin_checked_post
@require_POST
def subscribe_push(request):
    """The subscribe page's script posts the browser's PushSubscription here as JSON:
    {"subscription": {...}, "service": slug, "incident": slug, "language": "fr"}."""
    if not push_enabled():
        return _json_error(_("Push notifications are not available on this site."), 503)
    if _address_limited(request):
        return _json_error(_("Too many requests. Try again later."), 429)
    data = _json_body(request)
    if data is None:
        return _json_error(_("The request is not valid JSON or is too large."))
    target = TargetForm(
        {
            "service": data.get("service", ""),
            "incident": data.get("incident", ""),
            "language": data.get("language", ""),
        }
    )
    if not target.is_valid():
        return _json_error(
            " ".join(str(error) for error in target.non_field_errors()) or _("Invalid request.")
        )
    try:
        subscription = clean_subscription(data.get("subscription"))
    except InvalidPushSubscription:
        return _json_error(_("The browser's push subscription is not valid."))
    subscriber = services.subscription_save_push(
        subscription=subscription,
        service=target.cleaned_data["service_obj"],
        incident=target.cleaned_data["incident_obj"],
        language=target.language_or(get_language()),
    )
    return JsonResponse(
        {"status": "subscribed", "unsubscribe_url": unsubscribe_url(subscriber)}, status=201
    )


@origin_checked_post
@require_POST
def unsubscribe_push(request):
    """The script posts {"endpoint": ...} to stop notifications to this browser."""
    data = _json_body(request)
    endpoint = data.get("endpoint") if data else None
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > 500:
        return _json_error(_("Invalid request."))
    services.push_unsubscribe(endpoint=endpoint)
    # The same answer whether this browser was subscribed or not.
    return JsonResponse({"status": "unsubscribed"})


def _link_problem(request, *, expired: bool) -> HttpResponse:
    return render(
        request,
        "notifications/link_invalid.html",
        {"expired": expired},
        status=410 if expired else 400,
    )


@origin_checked_post
@require_http_methods(["GET", "POST"])
@never_cache
def confirm(request, token: str):
    """GET shows a button, POST confirms: link scanners in mail systems open links (GET), and
    must not be able to confirm on the reader's behalf."""
    try:
        key = read_confirm_token(token)
    except TokenExpired:
        return _link_problem(request, expired=True)
    except TokenInvalid:
        return _link_problem(request, expired=False)
    subscriber = selectors.subscriber_for_key(key)
    if subscriber is None:
        return _link_problem(request, expired=True)
    if request.method == "GET":
        return render(request, "notifications/confirm.html", {"subscriber": subscriber})
    subscriber = services.subscription_confirm(key=key)
    if subscriber is None:
        return _link_problem(request, expired=True)
    return render(
        request,
        "notifications/confirmed.html",
        {"subscriber": subscriber, "unsubscribe_url": unsubscribe_url(subscriber)},
    )


@csrf_exempt  # authorised by the signed token; see the module docstring
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request, token: str):
    """GET shows a one-button page (link scanners must not unsubscribe anyone); POST leaves,
    from that button or from a mail client's one-click (RFC 8058 List-Unsubscribe-Post)."""
    try:
        key, update_id = read_unsubscribe_token(token)
    except TokenInvalid:
        return _link_problem(request, expired=False)
    if request.method == "GET":
        subscriber = selectors.subscriber_for_key(key)
        return render(request, "notifications/unsubscribe.html", {"subscriber": subscriber})
    services.subscriber_unsubscribe(key=key, update_id=update_id)
    return render(request, "notifications/unsubscribed.html")
