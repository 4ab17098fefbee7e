import ipaddress
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications import selectors
from outagedesk.lib.sanitize import safe_url

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class TargetForm(forms.Form):
    """What to subscribe to: a service, optionally one of its incidents, and the language."""

    service = forms.SlugField(max_length=60, widget=forms.HiddenInput)
    incident = forms.SlugField(max_length=120, required=False, widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        service = selectors.service_for_slug(data.get("service", ""))
        if service is None:
            raise forms.ValidationError(_("This service does not exist."), code="service")
        data["service_obj"] = service
        data["incident_obj"] = None
        if data.get("incident"):
            incident = selectors.incident_for_slug(service, data["incident"])
            if incident is None:
                raise forms.ValidationError(_("This incident does not exist."), code="incident")
            data["incident_obj"] = incident
        return data

    def language_or(self, default: str) -> str:
        language = self.cleaned_data.get("language") or default
        return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


class EmailSubscribeForm(TargetForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)


class WebhookSubscribeForm(TargetForm):
    url = forms.CharField(
        label=_("Webhook URL"),
        max_length=500,
        help_text=_("We send each update to this address as signed JSON."),
    )
    email = forms.EmailField(
        label=_("Owner email"),
        max_length=254,
        help_text=_(
            "We send a confirmation link to this address: the webhook receives nothing until "
            "it is opened. Then only used to tell you if we have to disable the webhook."
        ),
    )

    def clean_url(self):
        url = safe_url(self.cleaned_data["url"].strip(), max_length=500)
        if not url:
            raise forms.ValidationError(_("Enter an http:// or https:// address."))
        if not settings.FETCH_ALLOW_PRIVATE and _obviously_internal(url):
            # Only a courtesy: names are resolved, and private addresses refused, at send time.
            raise forms.ValidationError(_("This address cannot be reached from the internet."))
        return url


def _obviously_internal(url: str) -> bool:
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False
