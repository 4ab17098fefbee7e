import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from comments.conf import setting
from comments.models import CannedReply
from comments.reasons import REJECTION_REASON_CHOICES
from incidents.placeholders import placeholders_refused
from outagedesk.lib.sanitize import clean_text

FORM_TOKEN_SALT = "comments.form-opened"  # noqa: S105 (a signing namespace, not a secret)


def form_token() -> str:
    """When the form was rendered, signed, so a bot cannot claim it took its time."""
    return signing.dumps(round(time.time(), 3), salt=FORM_TOKEN_SALT)


def seconds_since(token: str) -> float | None:
    """Seconds since the token was issued; None when forged or too old."""
    try:
        issued = signing.loads(
            token, salt=FORM_TOKEN_SALT, max_age=setting("COMMENT_FORM_MAX_AGE_SECONDS")
        )
    except (signing.BadSignature, TypeError):
        return None
    if not isinstance(issued, int | float):
        return None
    elapsed = time.time() - issued
    if elapsed > setting("COMMENT_FORM_MAX_AGE_SECONDS"):
        return None
    return max(0.0, elapsed)


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"))
    email = forms.EmailField(
        label=_("Email (optional, never shown)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = forms.CharField(label=_("Comment"))
    # The honeypot: hidden from people by CSS, filled in by bots that fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    ts = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Limits come from settings at request time (tests and busy sites tune them).
        self.fields["name"] = forms.CharField(
            label=_("Name"),
            max_length=setting("COMMENT_NAME_MAX_LENGTH"),
            widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        )
        self.fields["text"] = forms.CharField(
            label=_("Comment"),
            min_length=setting("COMMENT_TEXT_MIN_LENGTH"),
            max_length=setting("COMMENT_TEXT_MAX_LENGTH"),
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        if not self.is_bound:
            self.initial["ts"] = form_token()

    def _not_empty_once_cleaned(self, name: str, multiline: bool) -> str:
        value = self.cleaned_data[name]
        if not clean_text(value, max_length=len(value) + 1, multiline=multiline):
            raise forms.ValidationError(
                _("Nothing is left once the HTML is removed. Please write plain text.")
            )
        return value

    def clean_name(self) -> str:
        return self._not_empty_once_cleaned("name", multiline=False)

    def clean_text(self) -> str:
        return self._not_empty_once_cleaned("text", multiline=True)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(choices=REJECTION_REASON_CHOICES, initial="other")


class ReplyForm(forms.Form):
    canned_reply = forms.ModelChoiceField(
        label=_("Canned reply"),
        queryset=CannedReply.objects.filter(is_active=True).order_by("language", "category"),
        required=False,
    )
    reply_text = forms.CharField(
        label=_("Reply (what readers will see)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Leave empty to post the canned reply with its placeholders filled in."),
    )


class PromoteForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea)


class CannedReplyForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = CannedReply
        fields = ["category", "language", "question", "keywords", "text", "is_active"]
        widgets = {
            "keywords": forms.Textarea(attrs={"rows": 4}),
            "text": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name in ("category", "question", "text"):
            value = cleaned.get(name)
            if value and not clean_text(value, max_length=len(value) + 1):
                self.add_error(
                    name, _("Nothing is left once the HTML is removed. Please write plain text.")
                )
        # A placeholder nothing fills ("{official_lnk}") would reach readers as it is written.
        for name, message in placeholders_refused({"text": cleaned.get("text") or ""}).items():
            self.add_error(name, message)
        return cleaned


BULK_ACTIONS = [
    ("approve", _("Approve")),
    ("reject", _("Reject")),
    ("spam", _("Mark as spam")),
    ("ban", _("Ban the commenters")),
]


class IdListField(forms.Field):
    """Comment ids from the queue's checkboxes; anything that is not a number is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return sorted({int(v) for v in values if str(v).isdigit()})


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=BULK_ACTIONS)
    reason = forms.ChoiceField(choices=REJECTION_REASON_CHOICES, initial="other", required=False)
    ids = IdListField(error_messages={"required": _("Select at least one comment.")})
