"""The newsroom's service form: real fields for everything the admin keeps as JSON (regions,
component keywords, alternatives), each list typed as comma-separated text with a cap."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from incidents.models import Service
from incidents.services.services import (
    MAX_ALTERNATIVES,
    MAX_COMPONENTS,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_REGIONS,
    AlternativeInput,
    ComponentInput,
)


def split_list(value: str) -> list[str]:
    """'feed, fil ,timeline' → ['feed', 'fil', 'timeline']; semicolons and new lines work too."""
    for separator in (";", "\n"):
        value = value.replace(separator, ",")
    seen: list[str] = []
    for part in value.split(","):
        word = part.strip()
        if word and word not in seen:
            seen.append(word)
    return seen


class CommaListField(forms.CharField):
    """A list typed as 'a, b, c', at most `cap` items of at most `item_length` characters."""

    def __init__(self, *, cap: int, item_length: int = 60, **kwargs):
        self.cap, self.item_length = cap, item_length
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", cap * (item_length + 2))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def clean(self, value) -> list[str]:
        text = super().clean(value) or ""
        items = split_list(text)
        if len(items) > self.cap:
            raise ValidationError(
                ngettext_lazy(
                    "At most %(cap)d item, separated by commas (%(count)d given).",
                    "At most %(cap)d items, separated by commas (%(count)d given).",
                    "cap",
                )
                % {"cap": self.cap, "count": len(items)},
                code="too_many",
            )
        long = [item for item in items if len(item) > self.item_length]
        if long:
            raise ValidationError(
                _("Each item is at most %(length)d characters long: “%(item)s…” is longer.")
                % {"length": self.item_length, "item": long[0][:30]},
                code="too_long",
            )
        return items


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    slug = forms.SlugField(
        label=_("Address name (slug)"),
        max_length=60,
        help_text=_("Used in public addresses: /services/instagram/. Lowercase, no spaces."),
    )
    owner = forms.CharField(
        label=_("Company"),
        max_length=100,
        help_text=_(
            "Who runs the service, e.g. meta. Only sources of the same owner can be official."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    regions = CommaListField(
        label=_("Regions"),
        cap=MAX_REGIONS,
        help_text=_("Where readers use it, separated by commas, e.g. world, Europe, France."),
    )
    help_url = forms.URLField(
        label=_("Help centre"), required=False, max_length=200, assume_scheme="https"
    )
    official_account_url = forms.URLField(
        label=_("Official account"), required=False, max_length=200, assume_scheme="https"
    )
    status_page_url = forms.URLField(
        label=_("Status page"), required=False, max_length=200, assume_scheme="https"
    )

    def __init__(self, *args, service: Service | None = None, **kwargs):
        self.service = service
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, service: Service) -> dict:
        return {
            "name": service.name,
            "slug": service.slug,
            "owner": service.owner,
            "description": service.description,
            "regions": service.regions or [],
            "help_url": service.help_url,
            "official_account_url": service.official_account_url,
            "status_page_url": service.status_page_url,
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        taken = Service.objects.filter(slug=slug)
        if self.service is not None:
            taken = taken.exclude(pk=self.service.pk)
        if taken.exists():
            raise ValidationError(_("Another service already uses this address name."))
        return slug

    def values(self) -> dict:
        return dict(self.cleaned_data)


class ComponentForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    slug = forms.SlugField(label=_("Slug"), max_length=60)
    name_en = forms.CharField(label=_("Name in English"), max_length=100)
    name_fr = forms.CharField(label=_("Name in French"), max_length=100)
    keywords = CommaListField(
        label=_("Keywords"),
        cap=MAX_KEYWORDS,
        item_length=MAX_KEYWORD_LENGTH,
        help_text=_("Words in posts that point to this part, e.g. feed, fil, timeline."),
    )

    def as_input(self) -> ComponentInput:
        data = self.cleaned_data
        return ComponentInput(
            pk=data.get("id"),
            slug=data["slug"],
            name_en=data["name_en"],
            name_fr=data["name_fr"],
            keywords=data.get("keywords") or [],
            delete=bool(data.get("DELETE")),
        )


class AlternativeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    url = forms.URLField(label=_("Address"), required=False, max_length=200, assume_scheme="https")
    note_en = forms.CharField(label=_("Note in English"), max_length=160, required=False)
    note_fr = forms.CharField(label=_("Note in French"), max_length=160, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned is None:  # Form.clean() returns the cleaned data: never None in practice
            return cleaned
        filled = any(cleaned.get(key) for key in ("url", "note_en", "note_fr"))
        if filled and not cleaned.get("name") and not cleaned.get("DELETE"):
            self.add_error("name", _("An alternative needs a name."))
        return cleaned

    def as_input(self) -> AlternativeInput | None:
        data = self.cleaned_data
        if data.get("DELETE") or not data.get("name"):
            return None  # an empty extra row
        return AlternativeInput(
            name=data["name"],
            url=data.get("url") or "",
            note_en=data.get("note_en") or "",
            note_fr=data.get("note_fr") or "",
        )


class _ComponentFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        slugs = []
        for form in self.forms:
            if not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            slug = form.cleaned_data.get("slug")
            if slug in slugs:
                form.add_error("slug", _("Two components cannot have the same slug."))
            slugs.append(slug)

    def inputs(self) -> list[ComponentInput]:
        """One input per row, in the rows' order (so an error raised for input i belongs to
        row i); an empty extra row is an input that adds nothing."""
        return [
            form.as_input()
            if form.has_changed() or form.cleaned_data.get("id")
            else ComponentInput(slug="", name_en="", name_fr="", delete=True)
            for form in self.forms
        ]


ComponentFormSet = forms.formset_factory(
    ComponentForm,
    formset=_ComponentFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_COMPONENTS,
    validate_max=True,
)
AlternativeFormSet = forms.formset_factory(
    AlternativeForm, extra=2, can_delete=True, max_num=MAX_ALTERNATIVES, validate_max=True
)


def component_initial(service: Service | None) -> list[dict]:
    if service is None:
        return []
    return [
        {
            "id": c.pk,
            "slug": c.slug,
            "name_en": c.name_en,
            "name_fr": c.name_fr,
            "keywords": c.keywords if isinstance(c.keywords, list) else [],
        }
        for c in service.components.all()
    ]


def alternative_initial(service: Service | None) -> list[dict]:
    if service is None or not isinstance(service.alternatives, list):
        return []
    return [
        {
            "name": a.get("name", ""),
            "url": a.get("url", ""),
            "note_en": a.get("note_en", ""),
            "note_fr": a.get("note_fr", ""),
        }
        for a in service.alternatives
        if isinstance(a, dict)
    ]


def alternative_inputs(formset) -> list[AlternativeInput]:
    return [item for item in (f.as_input() for f in formset.forms) if item is not None]
