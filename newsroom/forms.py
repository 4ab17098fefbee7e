from typing import cast

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from incidents.models import Component, Evidence, Incident, Service, Source
from incidents.selectors.translations import other_language
from incidents.services.updates import NEXT_UPDATE_DEFAULT_MINUTES, PUBLISHABLE_STATUSES
from outagedesk.lib.sanitize import clean_text

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


def _as_pks(values) -> list[int]:
    return [pk for pk in (_as_pk(v) for v in values or ()) if pk is not None]


def _grouped_components(components) -> list:
    """Components grouped under their service's name (an incident may affect several)."""
    groups: dict[str, list] = {}
    for component in components:
        groups.setdefault(component.service.name, []).append((component.pk, component.name))
    return list(groups.items())


def _component_name(component: Component) -> str:
    return component.name


def _values(source, name: str) -> list:
    """A multi-valued field from posted data (QueryDict) or from an initial dict."""
    if hasattr(source, "getlist"):
        return source.getlist(name)
    value = source.get(name)
    return list(value) if isinstance(value, list | tuple) else ([value] if value else [])


def _check_affected_components(form: forms.Form, primary, others) -> None:
    """Refuse a component of a service the incident does not affect, on the field."""
    allowed = {primary.pk, *(s.pk for s in others or ())}
    if any(c.service_id not in allowed for c in form.cleaned_data.get("components") or []):
        form.add_error("components", _("Choose components of the affected services."))


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
    KEPT_ON_RELOAD = ("service", "other_services", "title", "language", "kind", "impact", "regions")
    field_order = [
        "service",
        "other_services",
        "title",
        "language",
        "kind",
        "impact",
        "components",
        "regions",
    ]

    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    other_services = forms.ModelMultipleChoiceField(
        label=_("Also affected"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Other services down in the same outage; the first service stays the main one."
        ),
    )
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
        cast(forms.ModelMultipleChoiceField, self.fields["other_services"]).queryset = services
        components_field = cast(forms.ModelMultipleChoiceField, self.fields["components"])
        components = Component.objects.filter(service__is_active=True).select_related("service")
        source = self.data if self.is_bound else self.initial
        chosen = _as_pks([source.get("service")]) + _as_pks(_values(source, "other_services"))
        if chosen:
            # Only the chosen services' components; no other is offered.
            components = components.filter(service__in=chosen)
        components_field.queryset = components
        if len(set(chosen)) != 1:
            # Several services (or none chosen yet): grouped under each service's name.
            components_field.choices = _grouped_components(components)
        self.fields["language"].initial = "fr"
        self.fields["kind"].initial = Incident.Kind.GLOBAL
        self.fields["impact"].initial = Incident.Impact.MINOR

    def clean(self):
        cleaned = super().clean()
        if service := cleaned.get("service"):
            _check_affected_components(self, service, cleaned.get("other_services"))
        return cleaned


class IncidentStateForm(_IncidentFieldsMixin):
    field_order = [
        "version",
        "status",
        "impact",
        "kind",
        "title",
        "title_translation",
        "other_services",
        "components",
        "regions",
    ]

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The title in the other language (labelled with it in __init__); empty: none.
    title_translation = forms.CharField(
        label=_("Title in the other language"),
        required=False,
        max_length=200,
        help_text=_("Without it, pages in that language are not offered. Empty: none."),
    )
    status = forms.ChoiceField(label=_("Status"))
    other_services = forms.ModelMultipleChoiceField(
        label=_("Also affected"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Save to choose the components of a service you add."),
    )
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
        self.incident = incident
        self.translation_language = other_language(incident.language)
        self.fields["title_translation"].label = (
            _("Title in English") if self.translation_language == "en" else _("Title in French")
        )
        affected = incident.affected_services()
        others = [s.pk for s in affected if s.pk != incident.service_id]
        # Active services may be added; one already affected stays listed even once archived.
        other_services = cast(forms.ModelMultipleChoiceField, self.fields["other_services"])
        other_services.queryset = Service.objects.exclude(pk=incident.service_id).filter(
            Q(is_active=True) | Q(pk__in=others)
        )
        components = Component.objects.filter(service__in=[s.pk for s in affected])
        components = components.select_related("service").order_by("service__name", "position")
        components_field = cast(forms.ModelMultipleChoiceField, self.fields["components"])
        if len(affected) == 1:
            components_field.queryset = incident.service.components.all()
            # Django documents replacing label_from_instance per field; the stubs see a method.
            components_field.label_from_instance = _component_name  # type: ignore[method-assign,assignment]
        else:
            # Grouped by service, the main one first.
            order = {s.pk: i for i, s in enumerate(affected)}
            listed = sorted(components, key=lambda c: (order[c.service_id], c.position, c.pk))
            components_field.queryset = components
            components_field.choices = _grouped_components(listed)

    def clean_title_translation(self) -> str:
        typed = self.cleaned_data.get("title_translation") or ""
        title = clean_text(typed, max_length=200, multiline=False)
        if typed.strip() and not title:
            raise forms.ValidationError(_("Nothing is left of this title once cleaned."))
        return title

    def clean(self):
        cleaned = super().clean()
        if "other_services" in cleaned:
            _check_affected_components(self, self.incident.service, cleaned["other_services"])
        return cleaned

    @classmethod
    def initial_for(cls, incident: Incident) -> dict:
        return {
            "version": incident.version,
            "title": incident.title,
            "title_translation": incident.title_in(other_language(incident.language)),
            "status": incident.status,
            "impact": incident.impact,
            "kind": incident.kind,
            "other_services": [
                s.pk for s in incident.affected_services() if s.pk != incident.service_id
            ],
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


class TranslationFields(forms.Form):
    """The same update in the other language: in the composer (optional, published with the
    update when filled) and alone, to add it to an update already published."""

    translation_title = forms.CharField(label=_("Title"), required=False, max_length=300)
    translation_message = forms.CharField(
        label=_("Main message"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    translation_advice = forms.CharField(
        label=_("Advice to users"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    translation_call_to_action = forms.CharField(
        label=_("Call to action"), required=False, max_length=400
    )
    # Written once per language: every page, feed and email in that language heads with it.
    translation_incident_title = forms.CharField(
        label=_("Incident title"),
        required=False,
        max_length=200,
        help_text=_("Readers of this language see it at the top of the page and in lists."),
    )

    TRANSLATION_FIELDS = (
        "translation_title",
        "translation_message",
        "translation_advice",
        "translation_call_to_action",
        "translation_incident_title",
    )


class TranslationForm(TranslationFields):
    """A translation added later to a published update: title and message needed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "composer-%s")
        super().__init__(*args, **kwargs)
        self.fields["translation_title"].required = True
        self.fields["translation_message"].required = True


class ComposerForm(TranslationFields):
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
    # The translation fields come prefilled from the matching template; only this box makes
    # them part of the publication, so an editor who ignores them is not blocked by their gaps.
    translation_include = forms.BooleanField(
        label=_("Publish this version with the update"), required=False
    )

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
        if self.has_translation():
            for name in ("translation_title", "translation_message"):
                if not cleaned.get(name, "").strip():
                    self.add_error(name, _("The other language's version needs this too."))
        return cleaned

    def has_translation(self) -> bool:
        """Whether the editor asked to publish the other language's version too."""
        return bool(self.data.get("translation_include"))


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
