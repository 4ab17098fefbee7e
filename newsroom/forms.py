from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from incidents.models import Component, Evidence, Incident, Service, Source
from incidents.services.updates import NEXT_UPDATE_DEFAULT_MINUTES, PUBLISHABLE_STATUSES

Status = Incident.Status
PLATFORM_CHOICES = [
    ("android", "Android"),
    ("ios", "iOS"),
    ("web", _("Web")),
    ("desktop", _("Desktop (Windows, macOS)")),
]
REGION_SEPARATORS = (",", ";", "\n")


def split_regions(value: str) -> list[str]:
    for separator in REGION_SEPARATORS[1:]:
        value = value.replace(separator, REGION_SEPARATORS[0])
    return [part.strip() for part in value.split(REGION_SEPARATORS[0]) if part.strip()]


def _as_pk(value) -> int | None:
    value = getattr(value, "pk", value)
    return int(value) if str(value or "").isdigit() else None


def _grouped_components(components) -> list:
    """Without a chosen service, components grouped under their service's name."""
    groups: dict[str, list] = {}
    for component in components:
        groups.setdefault(component.service.name, []).append((component.pk, component.name))
    return list(groups.items())


def _component_name(component: Component) -> str:
    return component.name


class _IncidentFieldsMixin(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    impact = forms.ChoiceField(label=_("Impact"), choices=Incident.Impact.choices)
    regions = forms.CharField(
        label=_("Regions"),
        required=False,
        max_length=600,
        help_text=_("Separated by commas, e.g. world, France, Belgium."),
    )
    platforms = forms.MultipleChoiceField(
        label=_("Platforms (app bug)"),
        choices=PLATFORM_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    app_versions = forms.CharField(
        label=_("App versions (app bug)"),
        required=False,
        max_length=200,
        help_text=_("e.g. Android 2.24.10.x, iOS 24.9"),
    )

    def clean_regions(self) -> list[str]:
        return split_regions(self.cleaned_data.get("regions") or "")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("kind") == Incident.Kind.APP_BUG and not cleaned.get("platforms"):
            self.add_error("platforms", _("An app bug needs the platforms it affects."))
        return cleaned


class IncidentOpenForm(_IncidentFieldsMixin):
    KEPT_ON_RELOAD = ("service", "title", "language", "kind", "impact", "regions")
    field_order = ["service", "title", "language", "kind", "impact", "components", "regions"]

    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    language = forms.ChoiceField(label=_("Language of the updates"), choices=settings.LANGUAGES)
    components = forms.ModelMultipleChoiceField(
        label=_("Affected components"),
        queryset=Component.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        services = Service.objects.filter(is_active=True)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services
        components = Component.objects.filter(service__is_active=True).select_related("service")
        components_field = cast(forms.ModelMultipleChoiceField, self.fields["components"])
        chosen_pk = _as_pk(self.data.get("service") or self.initial.get("service"))
        chosen_service = services.filter(pk=chosen_pk).first() if chosen_pk is not None else None
        if chosen_service:
            # Only the chosen service's components; the others are not offered at all.
            components_field.queryset = components.filter(service=chosen_service)
        else:
            components_field.queryset = components
            components_field.choices = _grouped_components(components)
        self.fields["language"].initial = "fr"
        self.fields["kind"].initial = Incident.Kind.GLOBAL
        self.fields["impact"].initial = Incident.Impact.MINOR

    def clean(self):
        cleaned = super().clean()
        service = cleaned.get("service")
        components = cleaned.get("components") or []
        if service and any(c.service_id != service.pk for c in components):
            self.add_error("components", _("Choose components of the selected service."))
        return cleaned


class IncidentStateForm(_IncidentFieldsMixin):
    field_order = ["version", "status", "impact", "kind", "title", "components", "regions"]

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"))
    components = forms.ModelMultipleChoiceField(
        label=_("Affected components"),
        queryset=Component.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, incident: Incident, **kwargs):
        # The composer shares the page: distinct ids keep labels pointing at the right field.
        kwargs.setdefault("auto_id", "state-%s")
        super().__init__(*args, **kwargs)
        statuses = list(PUBLISHABLE_STATUSES)
        if incident.status == Status.SUSPECTED:
            statuses.insert(0, Status.SUSPECTED)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (s.value, s.label) for s in statuses
        ]
        components_field = cast(forms.ModelMultipleChoiceField, self.fields["components"])
        components_field.queryset = incident.service.components.all()
        # Django documents replacing label_from_instance per field; the stubs see a method.
        components_field.label_from_instance = _component_name  # type: ignore[method-assign,assignment]

    @classmethod
    def initial_for(cls, incident: Incident) -> dict:
        return {
            "version": incident.version,
            "title": incident.title,
            "status": incident.status,
            "impact": incident.impact,
            "kind": incident.kind,
            "components": [c.pk for c in incident.components.all()],
            "regions": ", ".join(incident.regions or []),
            "platforms": incident.platforms,
            "app_versions": incident.app_versions,
        }


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why is it noise?"), required=False, max_length=500)


class EvidenceDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class InboxFilterForm(forms.Form):
    """Filters come from links; anything unexpected is ignored rather than refused."""

    tier = forms.ChoiceField(choices=[("", ""), *Source.Tier.choices], required=False)
    state = forms.ChoiceField(choices=[("", ""), *Evidence.State.choices], required=False)
    component = forms.SlugField(required=False, max_length=60)
    region = forms.CharField(required=False, max_length=60)
    cursor = forms.RegexField(regex=r"^\d+\.\d+\.\d+$", required=False, max_length=60)
    after = forms.IntegerField(required=False, min_value=0)


NEXT_UPDATE_CHOICES_MINUTES = (15, 30, 45, 60, 90, 120, 180, 240)


def next_update_choices() -> list[tuple[str, str]]:
    """ "" for no promise, then delays after publication, worded in the active language."""
    choices = [("", gettext("No next update promised"))]
    for minutes in NEXT_UPDATE_CHOICES_MINUTES:
        if minutes % 60 == 0:
            hours = minutes // 60
            label = ngettext("In %(n)d hour", "In %(n)d hours", hours) % {"n": hours}
        else:
            label = ngettext("In %(n)d minute", "In %(n)d minutes", minutes) % {"n": minutes}
        choices.append((str(minutes), label))
    return choices


class ComposerForm(forms.Form):
    CONFIRMED = "confirmed"
    REPORT = "report"

    title = forms.CharField(label=_("Title"), max_length=300)
    message = forms.CharField(
        label=_("Main message"), max_length=6000, widget=forms.Textarea(attrs={"rows": 5})
    )
    advice = forms.CharField(
        label=_("Advice to users"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    call_to_action = forms.CharField(label=_("Call to action"), required=False, max_length=400)
    status = forms.ChoiceField(
        label=_("Status after this update"),
        choices=[(s.value, s.label) for s in PUBLISHABLE_STATUSES],
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    confirmation = forms.ChoiceField(
        label=_("What this update states"),
        choices=[(CONFIRMED, _("A confirmed outage")), (REPORT, _("Reports, not confirmed"))],
        widget=forms.RadioSelect,
    )
    notify = forms.BooleanField(label=_("Notify subscribers"), required=False)
    next_update_minutes = forms.TypedChoiceField(
        label=_("Next update by"),
        coerce=int,
        # The stubs want a str; Django passes any value through, and 0 minutes means "none".
        empty_value=0,  # type: ignore[arg-type]
        required=False,
        help_text=_("Shown to readers: when they will hear more. None after a resolution."),
    )
    override_reason = forms.CharField(
        label=_("Reason to publish as confirmed anyway (admins)"),
        required=False,
        max_length=500,
    )
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    correction_note = forms.CharField(
        label=_("What changed (shown with the correction)"), required=False, max_length=300
    )
    template = forms.SlugField(required=False, widget=forms.HiddenInput, max_length=80)
    seen_update = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "composer-%s")
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["next_update_minutes"])
        field.choices = next_update_choices()
        # The composer's script switches to "none" when the status becomes "resolved" (and back),
        # until the editor picks a value themselves.
        field.widget.attrs["data-usual"] = str(NEXT_UPDATE_DEFAULT_MINUTES)

    def clean_next_update_minutes(self) -> int | None:
        # A browser always sends the select; a client that leaves it out gets the default.
        if "next_update_minutes" not in self.data:
            return None
        return self.cleaned_data.get("next_update_minutes") or 0

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("corrects") and not cleaned.get("correction_note"):
            self.add_error("correction_note", _("Say what this correction changes."))
        return cleaned


class FAQEntryForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    answer = forms.CharField(
        label=_("Answer"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class FAQAddForm(forms.Form):
    question = forms.CharField(label=_("New question"), max_length=300)
    answer = forms.CharField(
        label=_("Answer"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
