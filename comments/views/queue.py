"""The moderation queue at /moderation/: one comment per row, one key per action, undo."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from comments import services
from comments.conf import setting
from comments.forms import BulkForm, PromoteForm, RejectForm, ReplyForm
from comments.models import Comment, ModerationAction
from comments.reasons import REJECTION_REASON_CHOICES, rejection_reason_label
from comments.selectors import (
    ORDERS,
    QUEUES,
    active_canned_replies,
    canned_reply_fill,
    queue_counts,
    queue_incidents,
    queue_rows,
    suggest_reply,
)
from comments.services import admission
from incidents.models import Incident
from incidents.services.faq import FAQError
from outagedesk.roles import EDITOR, MODERATOR, role_required

QUEUE_LABELS = {
    "pending": gettext_lazy("Pending"),
    "reported": gettext_lazy("Reported"),
    "approved": gettext_lazy("Approved"),
    "rejected": gettext_lazy("Rejected"),
    "spam": gettext_lazy("Spam"),
}


def _params(source) -> dict:
    queue = source.get("queue", "pending")
    order = source.get("order", "oldest")
    incident = source.get("incident", "")
    page = source.get("page", "1")
    return {
        "queue": queue if queue in QUEUES else "pending",
        "order": order if order in ORDERS else "oldest",
        "incident": int(incident) if str(incident).isdigit() else None,
        "page": max(1, int(page)) if str(page).isdigit() else 1,
    }


def _query(params: dict, **changes) -> str:
    merged = {**params, **changes}
    pairs = {k: v for k, v in merged.items() if v not in (None, "")}
    if pairs.get("page") == 1:
        del pairs["page"]
    return urlencode(pairs)


def _queue_url(params: dict, **changes) -> str:
    return f"{reverse('comments:queue')}?{_query(params, **changes)}"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("comments:queue")


def _counts_context(params: dict) -> dict:
    counts = queue_counts(incident_id=params["incident"])
    return {
        "counts": counts,
        "queue_links": [
            {
                "name": name,
                "label": QUEUE_LABELS[name],
                "count": counts[name],
                "url": _queue_url(params, queue=name, page=1),
                "current": name == params["queue"],
            }
            for name in QUEUES
        ],
        "counts_url": f"{reverse('comments:counts')}?{_query(params)}",
    }


@role_required(MODERATOR)
@require_GET
@vary_on_headers("HX-Request")
def queue(request):
    params = _params(request.GET)
    size = setting("MODERATION_QUEUE_PAGE_SIZE")
    replies = active_canned_replies()
    context = _counts_context(params)
    rows = queue_rows(
        queue=params["queue"],
        order=params["order"],
        incident_id=params["incident"],
        offset=(params["page"] - 1) * size,
        limit=size,
        replies=replies,
    )
    total = context["counts"][params["queue"]]
    incidents = queue_incidents()
    context.update(
        {
            "params": params,
            "rows": rows,
            "replies": replies,
            "incidents": incidents,
            "selected_incident": next((i for i in incidents if i.pk == params["incident"]), None),
            "reject_reasons": REJECTION_REASON_CHOICES,
            "queue_label": QUEUE_LABELS[params["queue"]],
            "this_url": _queue_url(params),
            # Row actions are /moderation/comments/<id>/<action>/: built from this prefix
            # instead of fifty rows times seven reverse() calls.
            "comment_base": reverse("comments:approve", args=[0]).removesuffix("0/approve/"),
            "newest_url": _queue_url(params, order="newest", page=1),
            "oldest_url": _queue_url(params, order="oldest", page=1),
            "previous_url": _queue_url(params, page=params["page"] - 1)
            if params["page"] > 1
            else "",
            "next_url": _queue_url(params, page=params["page"] + 1)
            if params["page"] * size < total
            else "",
            "can_undo": ModerationAction.objects.filter(
                actor=request.user, undone_at__isnull=True
            ).exists(),
        }
    )
    template = "comments/queue.html"
    if request.htmx and not request.htmx.boosted:
        template += "#queue_main"
    return render(request, template, context)


@role_required(MODERATOR)
@require_GET
def counts(request):
    return render(request, "comments/queue.html#counts", _counts_context(_params(request.GET)))


ACTION_DONE: dict[str, Promise] = {
    ModerationAction.Kind.APPROVE: gettext_lazy("Approved"),
    ModerationAction.Kind.REJECT: gettext_lazy("Rejected"),
    ModerationAction.Kind.SPAM: gettext_lazy("Marked as spam"),
    ModerationAction.Kind.BAN: gettext_lazy("Commenter banned"),
    ModerationAction.Kind.REPLY: gettext_lazy("Approved with an official reply"),
}


def _summary(action: ModerationAction, reason: str = "") -> str:
    count = len(action.after)
    text = ngettext("%(action)s: %(count)d comment.", "%(action)s: %(count)d comments.", count) % {
        "action": ACTION_DONE[action.kind],
        "count": count,
    }
    if reason:
        text += " " + _("Reason: %(reason)s.") % {"reason": rejection_reason_label(reason)}
    return text


def _done(request, *, action: ModerationAction, comment: Comment | None = None, reason=""):
    """htmx: the row becomes a one-line summary, counts and the undo toast refresh.
    Without JavaScript: back to the queue with a message."""
    message = _summary(action, reason)
    if request.htmx:
        params = _params(request.POST)
        context = {
            **_counts_context(params),
            "comment": comment,
            "message": message,
            "can_undo": True,
            "oob": True,
            "this_url": _next_url(request),
        }
        return render(request, "comments/queue.html#action_result", context)
    messages.success(request, message)
    return HttpResponseRedirect(_next_url(request))


def _failed(request, message: str):
    if request.htmx:
        response = render(
            request,
            "comments/queue.html#toast",
            {"message": message, "is_error": True, "oob": True},
        )
        response["HX-Reswap"] = "none"
        return response
    messages.error(request, message)
    return HttpResponseRedirect(_next_url(request), status=303)


def _comment(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("incident__service"), pk=pk)


@role_required(MODERATOR)
@require_POST
def approve(request, pk: int):
    comment = _comment(pk)
    action = services.comments_approve(actor=request.user, comments=[comment])
    return _done(request, action=action, comment=comment)


@role_required(MODERATOR)
@require_POST
def reject(request, pk: int):
    comment = _comment(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _failed(request, _("Choose a reason to reject this comment."))
    reason = form.cleaned_data["reason"]
    action = services.comments_reject(actor=request.user, comments=[comment], reason=reason)
    return _done(request, action=action, comment=comment, reason=reason)


@role_required(MODERATOR)
@require_POST
def spam(request, pk: int):
    comment = _comment(pk)
    action = services.comments_mark_spam(actor=request.user, comments=[comment])
    return _done(request, action=action, comment=comment)


@role_required(MODERATOR)
@require_POST
def ban(request, pk: int):
    comment = _comment(pk)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else "offensive"
    action = services.commenters_ban(actor=request.user, comments=[comment], reason=reason)
    return _done(request, action=action, comment=comment, reason=reason)


def _reply_page(request, comment: Comment, form: ReplyForm | None = None, error: str = ""):
    replies = active_canned_replies()
    found = suggest_reply(comment.text, comment.language or comment.incident.language, replies)
    suggested = found[0] if found else None
    if form is None:
        form = ReplyForm(
            initial={
                "canned_reply": suggested,
                "reply_text": canned_reply_fill(reply=suggested, incident=comment.incident)
                if suggested
                else "",
            }
        )
    context = {
        "comment": comment,
        "form": form,
        "suggested": suggested,
        "error": error,
        "next": _next_url(request),
    }
    return render(request, "comments/reply_form.html", context, status=400 if error else 200)


@role_required(MODERATOR)
@require_http_methods(["GET", "POST"])
def reply(request, pk: int):
    """GET: the reply form (a canned reply to start from, the text to edit). POST: approve the
    comment and post the reply; the queue's Enter key posts the suggested canned reply as is."""
    comment = _comment(pk)
    if request.method == "GET":
        return _reply_page(request, comment)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        message = _("This canned reply is no longer available.")
        return (
            _failed(request, message)
            if request.htmx
            else _reply_page(request, comment, form, message)
        )
    try:
        action = services.comment_reply(
            actor=request.user,
            comment=comment,
            canned_reply=form.cleaned_data["canned_reply"],
            text=form.cleaned_data["reply_text"],
        )
    except services.ModerationError:
        message = _("Choose a canned reply or write an answer.")
        return (
            _failed(request, message)
            if request.htmx
            else _reply_page(request, comment, form, message)
        )
    return _done(request, action=action, comment=comment)


@role_required(MODERATOR)
@require_POST
def promote(request, pk: int):
    comment = _comment(pk)
    form = PromoteForm(request.POST)
    if not form.is_valid():
        return _failed(request, _("Both the question and the answer are needed."))
    try:
        entry = services.comment_promote_to_faq(
            actor=request.user,
            comment=comment,
            question=form.cleaned_data["question"],
            answer=form.cleaned_data["answer"],
        )
    except FAQError:
        return _failed(request, _("Both the question and the answer are needed."))
    message = _("Added to the FAQ of “%(incident)s”: %(question)s") % {
        "incident": comment.incident.title,
        "question": entry.question,
    }
    if request.htmx:
        response = render(request, "comments/queue.html#toast", {"message": message, "oob": True})
        response["HX-Reswap"] = "none"
        return response
    messages.success(request, message)
    return HttpResponseRedirect(_next_url(request))


@role_required(MODERATOR)
@require_POST
def bulk(request):
    form = BulkForm(request.POST)
    if not form.is_valid():
        return _failed(request, _("Select at least one comment and an action."))
    ids = form.cleaned_data["ids"]
    kind = form.cleaned_data["action"]
    reason = form.cleaned_data["reason"] or "other"
    try:
        if kind == "approve":
            action = services.comments_approve(actor=request.user, comments=ids)
        elif kind == "reject":
            action = services.comments_reject(actor=request.user, comments=ids, reason=reason)
        elif kind == "spam":
            action = services.comments_mark_spam(actor=request.user, comments=ids)
        else:
            action = services.commenters_ban(actor=request.user, comments=ids, reason=reason)
    except services.ModerationError:
        return _failed(request, _("These comments no longer exist."))
    messages.success(request, _summary(action, reason if kind in ("reject", "ban") else ""))
    if request.htmx:
        return HttpResponse(headers={"HX-Refresh": "true"})
    return HttpResponseRedirect(_next_url(request))


@role_required(MODERATOR)
@require_POST
def undo(request):
    result = services.moderation_undo(actor=request.user)
    if result.action is None:
        messages.info(request, _("Nothing to undo."))
    else:
        text = ngettext(
            "Undone: %(count)d comment restored.",
            "Undone: %(count)d comments restored.",
            result.restored,
        ) % {"count": result.restored}
        if result.skipped:
            text += " " + ngettext(
                "%(count)d comment was changed since and kept as it is.",
                "%(count)d comments were changed since and kept as they are.",
                result.skipped,
            ) % {"count": result.skipped}
        messages.success(request, text)
    if request.htmx:
        return HttpResponse(headers={"HX-Refresh": "true"})
    return HttpResponseRedirect(_next_url(request))


@role_required(EDITOR, MODERATOR)
@require_POST
def slow_mode(request, pk: int):
    """Switch an incident's comment slow mode (editors run the incident, moderators its
    comments: both may calm a crowd)."""
    incident = get_object_or_404(Incident, pk=pk)
    enabled = request.POST.get("enabled") == "1"
    admission.incident_comment_slow_mode_set(actor=request.user, incident=incident, enabled=enabled)
    if enabled:
        message = _("Slow mode is on for “%(title)s”: each reader can post less often.")
    else:
        message = _("Slow mode is off for “%(title)s”.")
    messages.success(request, message % {"title": incident.title})
    return HttpResponseRedirect(_next_url(request), status=303)
