"""The admin's JSON boxes (a service's alternatives, a component's keywords, a source's
configuration) keep accepting JSON, but a wrong input is answered with the shape expected and
an example, instead of Django's bare "Enter a valid JSON."."""

from __future__ import annotations

import json
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents.models import ResponseTemplate, Source
from incidents.placeholders import placeholders_refused

ALTERNATIVES_EXAMPLE = (
    '[{"name": "Signal", "url": "https://signal.org/", "note_en": "end-to-end encrypted", '
    '"note_fr": "chiffré de bout en bout"}]'
)
KEYWORDS_EXAMPLE = '["feed", "fil", "timeline"]'
REGIONS_EXAMPLE = '["world", "Europe", "France"]'
CONFIG_EXAMPLES = {
    Source.Kind.STATUSPAGE: '{"component_map": {"Message delivery": "messages"}}',
    Source.Kind.FEED: "{}",
    Source.Kind.MASTODON: '{"hashtags": ["WhatsappDown", "WhatsappProbleme"]}',
    Source.Kind.BLUESKY: '{"query": "#WhatsappDown"}',
    Source.Kind.REDDIT: '{"query": "whatsapp down"}',
    Source.Kind.HN: '{"query": "whatsapp"}',
    Source.Kind.X: '{"query": "whatsapp down", "max_results": 50}',
    Source.Kind.REPORTS: (
        '{"series_path": "time_series", "time_field": "date", "value_field": "reports_value", '
        '"baseline_field": "baseline_value", "problem_map": {"Messaging": "messages"}}'
    ),
    Source.Kind.PROBE: '{"hosts": ["web.whatsapp.com"], "expect_status": [200], "dns_timeout": 3}',
    Source.Kind.READER: "{}",
}


class ShapedJSONField(forms.JSONField):
    """JSON of one shape: a list of strings, a list of objects, or an object."""

    def __init__(self, *, shape: str, example: str, **kwargs):
        self.shape, self.example = shape, example
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.help_text = format_lazy(_("JSON, for example: {example}"), example=example)

    def _refuse(self, detail: str = ""):
        message = _("Expected %(shape)s, for example: %(example)s") % {
            "shape": self._shape_label(),
            "example": self.example,
        }
        if detail:
            message = f"{message} ({detail})"
        raise ValidationError(message, code="shape")

    def _shape_label(self) -> str:
        return str(
            {
                "strings": _("a JSON list of words in quotes"),
                "objects": _("a JSON list of objects"),
                "object": _("a JSON object"),
            }[self.shape]
        )

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                json.loads(value)
            except json.JSONDecodeError as exc:
                self._refuse(_("not valid JSON at line %(line)d") % {"line": exc.lineno})
        if value in (None, "") and not self.required:
            return [] if self.shape != "object" else {}
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if self.shape == "strings":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self._refuse()
        elif self.shape == "objects":
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                self._refuse()
        elif not isinstance(value, dict):
            self._refuse()


class ServiceAdminForm(forms.ModelForm):
    alternatives = ShapedJSONField(shape="objects", example=ALTERNATIVES_EXAMPLE)
    regions = ShapedJSONField(shape="strings", example=REGIONS_EXAMPLE)

    # No Meta: the ModelAdmin builds the form for its model and fields around these.

    def clean_alternatives(self):
        alternatives = self.cleaned_data.get("alternatives") or []
        if any(not str(a.get("name", "")).strip() for a in alternatives):
            raise ValidationError(
                _('Every alternative needs a "name", for example: %(example)s')
                % {"example": ALTERNATIVES_EXAMPLE}
            )
        return alternatives


class ComponentAdminForm(forms.ModelForm):
    keywords = ShapedJSONField(shape="strings", example=KEYWORDS_EXAMPLE)

    # No Meta: the ModelAdmin builds the form for its model and fields around these.


class SourceAdminForm(forms.ModelForm):
    config = ShapedJSONField(shape="object", example=CONFIG_EXAMPLES[Source.Kind.REPORTS])

    # No Meta: the ModelAdmin builds the form for its model and fields around these.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.data.get("kind") or getattr(self.instance, "kind", "")
        if kind in CONFIG_EXAMPLES:
            config = cast(ShapedJSONField, self.fields["config"])
            config.example = CONFIG_EXAMPLES[kind]
            config.help_text = format_lazy(
                _("JSON, for example: {example}"), example=CONFIG_EXAMPLES[kind]
            )


class ResponseTemplateAdminForm(forms.ModelForm):
    """Refuses a template whose placeholders nothing fills, naming them on their field."""

    class Meta:
        model = ResponseTemplate
        fields = [
            "slug",
            "name",
            "language",
            "tone",
            "purpose",
            *ResponseTemplate.TEXT_FIELDS,
            "is_active",
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        texts = {name: cleaned.get(name) or "" for name in ResponseTemplate.TEXT_FIELDS}
        for field_name, message in placeholders_refused(texts).items():
            self.add_error(field_name, message)
        return cleaned
