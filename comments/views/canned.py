"""Moderators manage the canned reply library next to the queue (the admin offers the same)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from comments import services
from comments.forms import CannedReplyForm
from comments.models import CannedReply
from incidents.placeholders import placeholders_known
from outagedesk.roles import MODERATOR, role_required


@role_required(MODERATOR)
@require_GET
def canned_list(request):
    replies = CannedReply.objects.order_by("language", "category", "pk")
    return render(request, "comments/canned_list.html", {"replies": replies})


def _edit(request, reply: CannedReply | None):
    form = CannedReplyForm(request.POST or None, instance=reply)
    if request.method == "POST" and form.is_valid():
        saved = services.canned_reply_save(actor=request.user, data=form.cleaned_data, reply=reply)
        messages.success(
            request, _("Canned reply “%(category)s” saved.") % {"category": saved.category}
        )
        return HttpResponseRedirect(reverse("comments:canned_list"))
    return render(
        request,
        "comments/canned_form.html",
        {"form": form, "reply": reply, "placeholders": [f"{{{p}}}" for p in placeholders_known()]},
        status=400 if request.method == "POST" else 200,
    )


@role_required(MODERATOR)
@require_http_methods(["GET", "POST"])
def canned_create(request):
    return _edit(request, None)


@role_required(MODERATOR)
@require_http_methods(["GET", "POST"])
def canned_edit(request, pk: int):
    return _edit(request, get_object_or_404(CannedReply, pk=pk))
