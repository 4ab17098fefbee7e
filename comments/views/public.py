"""Reader endpoints: the comment section of an incident, posting a comment, reporting one.

The section is public and cacheable, so it carries no per-reader CSRF token (POSTs are
origin-checked) and no session: a reader's own comments awaiting moderation come from a signed
cookie listing their ids, and pages showing them are marked private.
"""

import logging
import math
from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from comments import services
from comments.conf import setting
from comments.events import comment_received
from comments.forms import CommentForm, form_token
from comments.models import Comment
from comments.selectors import public_comments, reader_pending_comments
from comments.services import admission
from incidents.events import send_on_commit
from incidents.models import Incident
from incidents.redirects import follow_renamed_incident
from incidents.selectors.translations import incident_page_language
from outagedesk.csrf import origin_checked_post
from outagedesk.ratelimit import client_address, hash_identifier, rate_limited

logger = logging.getLogger(__name__)

MINE_COOKIE = "od_my_comments"
MINE_SALT = "comments.mine"
MINE_MAX_AGE = 30 * 24 * 3600
MINE_KEEP = 20


def _public_incident(slug: str) -> Incident:
    return get_object_or_404(Incident.objects.select_related("service"), slug=slug, is_public=True)


def reader_comment_ids(request) -> list[int]:
    raw = request.get_signed_cookie(MINE_COOKIE, default="", salt=MINE_SALT, max_age=MINE_MAX_AGE)
    return [int(part) for part in raw.split(",") if part.isdigit()][-MINE_KEEP:]


def _remember_comment(request, response, comment: Comment) -> None:
    ids = [*reader_comment_ids(request), comment.pk][-MINE_KEEP:]
    response.set_signed_cookie(
        MINE_COOKIE,
        ",".join(str(i) for i in ids),
        salt=MINE_SALT,
        max_age=MINE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _section_url(incident: Incident) -> str:
    return reverse("comments_public:section", args=[incident.slug])


def _notice(request, mine_ids: list[int]) -> str:
    sent = request.GET.get("sent", "")
    if sent.isdigit() and int(sent) in mine_ids:
        status = Comment.objects.filter(pk=int(sent)).values_list("status", flat=True).first()
        if status == Comment.Status.PENDING:
            return _("Thank you! Your comment is awaiting moderation.")
        if status == Comment.Status.APPROVED:
            return _("Thank you! Your comment is published.")
        if status is not None:
            return _("Your comment was not published: it does not follow our comment rules.")
    if request.GET.get("reported", "").isdigit():
        return _("Thank you. A moderator will look at this comment.")
    return ""


def in_page_language(view):
    """Run the view on the public incident `slug` (404 otherwise), in its page's language (the
    content's when the reader's version does not exist), whatever the address's prefix: the
    section, its notices and its refusals never disagree with the page around them."""

    @wraps(view)
    def wrapper(request, slug: str, **kwargs):
        incident = _public_incident(slug)
        language = incident_page_language(incident, get_language() or settings.LANGUAGE_CODE)
        with translation.override(language):
            response = view(request, incident=incident, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapper


def _render(request, incident: Incident, *, form: CommentForm, status: int = 200, error: str = ""):
    paginator = Paginator(public_comments(incident), setting("COMMENTS_PER_PAGE"))
    page = paginator.get_page(request.GET.get("page"))
    mine_ids = reader_comment_ids(request)
    mine = reader_pending_comments(incident, mine_ids)
    notice = _notice(request, mine_ids)
    fragment = request.GET.get("fragment") == "1"
    context = {
        "incident": incident,
        "page": page,
        "comments": page.object_list,
        "mine": mine,
        "form": form,
        "notice": notice,
        "error": error,
        "section_url": _section_url(incident),
        "is_fragment": fragment,
        "slow_mode_minutes": max(1, math.ceil(setting("COMMENT_SLOW_MODE_SECONDS") / 60)),
        "comments_closed": admission.comments_closed(incident),
        "close_hours": setting("COMMENTS_CLOSE_AFTER_RESOLUTION_HOURS"),
    }
    template = "comments/public_comments.html"
    response = render(
        request, f"{template}#section" if fragment else template, context, status=status
    )
    if mine or notice or error or request.method != "GET":
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=30)
    return response


def _refreshed_form(request, message: str) -> CommentForm:
    """The reader's input again, with a fresh form token and `message` on top."""
    data = request.POST.copy()
    data["ts"] = form_token()
    data["website"] = ""
    form = CommentForm(data)
    form.is_valid()
    form.add_error(None, message)
    return form


def _refused(request, incident: Incident, refusal: admission.Refusal, form: CommentForm):
    if refusal.form == admission.FormShown.ERRORS:
        shown, error = form, ""
    elif refusal.form == admission.FormShown.BLANK:
        shown, error = CommentForm(), refusal.message
    else:
        shown = _refreshed_form(request, refusal.message)
        error = refusal.message if refusal.status == 429 else ""
    response = _render(request, incident, form=shown, status=refusal.status, error=error)
    if refusal.retry_after:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def _checks_context(request, address: str, fill_seconds: float) -> dict:
    """What the automatic checks need from the request. The address, browser and referrer
    only feed Akismet: without a key they are not sent through the broker at all."""
    context: dict = {"fill_seconds": fill_seconds}
    if settings.AKISMET_API_KEY:
        context |= {
            "address": address,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500],
            "referrer": request.META.get("HTTP_REFERER", "")[:500],
        }
    return context


@require_http_methods(["GET", "POST"])
@follow_renamed_incident
@in_page_language
@origin_checked_post
def incident_comments(request, incident: Incident):
    if request.method == "GET":
        return _render(request, incident, form=CommentForm())

    address = client_address(request)
    form = CommentForm(request.POST)
    verdict = admission.comment_admit(incident=incident, address=address, form=form)
    if isinstance(verdict, admission.Refusal):
        return _refused(request, incident, verdict, form)
    try:
        comment = services.comment_receive(
            incident=incident,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            text=form.cleaned_data["text"],
            address=address,
        )
    except services.CommenterBanned:
        message = _("You can no longer comment on this site.")
        return _render(request, incident, form=CommentForm(), status=403, error=message)
    send_on_commit(
        comment_received,
        comment_id=comment.pk,
        **_checks_context(request, address, verdict.fill_seconds),
    )
    response = HttpResponseRedirect(
        f"{_section_url(incident)}?sent={comment.pk}#comment-{comment.pk}"
    )
    response.status_code = 303
    _remember_comment(request, response, comment)
    return response


@require_POST
@in_page_language
@origin_checked_post
def comment_report(request, incident: Incident, pk: int):
    comment = get_object_or_404(Comment, pk=pk, incident=incident, status=Comment.Status.APPROVED)
    address = client_address(request)
    if rate_limited(
        f"comment:report:{hash_identifier(address)}",
        limit=setting("COMMENT_REPORT_RATE_PER_ADDRESS"),
        window_seconds=setting("COMMENT_REPORT_RATE_WINDOW"),
    ):
        message = _("You have reported many comments in a short time. Please wait a few minutes.")
        response = _render(request, incident, form=CommentForm(), status=429, error=message)
        response["Retry-After"] = str(setting("COMMENT_REPORT_RATE_WINDOW"))
        return response
    services.comment_report(comment=comment, address=address)
    response = HttpResponseRedirect(f"{_section_url(incident)}?reported={pk}#comment-{pk}")
    response.status_code = 303
    return response
