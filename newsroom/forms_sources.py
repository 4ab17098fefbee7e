"""The newsroom's source forms: one form per kind, with that kind's own fields and help, which
builds `Source.config` exactly as the kind's collector reads it (incidents/collectors/*.py).
The editor never types JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incidents.models import Service, Source
from incidents.services.sources import MAX_POLL_SECONDS, MIN_POLL_SECONDS, official_owner_problem
from newsroom.forms_services import CommaListField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Kind = Source.Kind
MAX_MAP_LINES = 40


class MappingField(forms.CharField):
    """'Name in the source = our component slug', one pair a line, into a dict."""

    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 4000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{key} = {slug}" for key, slug in value.items())
        return value

    def clean(self, value) -> dict:
        text = super().clean(value) or ""
        mapping: dict[str, str] = {}
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_MAP_LINES:
            raise ValidationError(_("At most %(cap)d lines.") % {"cap": MAX_MAP_LINES})
        for line in lines:
            name, equals, slug = line.rpartition("=")
            if not equals or not name.strip() or not slug.strip():
                raise ValidationError(
                    _("Write one pair a line, name = component slug, e.g. “%(example)s”.")
                    % {"example": "Message delivery = messages"}
                )
            mapping[name.strip()] = slug.strip()
        return mapping


class SourceForm(forms.Form):
    """What every kind shares. Subclasses add `config_fields` and their URL help."""

    kind_value: str = ""
    config_fields: tuple[str, ...] = ()
    url_required = True
    url_help: StrOrPromise = ""

    name = forms.CharField(
        label=_("Name in the newsroom"),
        max_length=120,
        help_text=_("What editors see in the evidence inbox, e.g. Instagram status page."),
    )
    public_label = forms.CharField(
        label=_("Public label"),
        max_length=80,
        help_text=_("How readers see the source named, e.g. Downdetector, WhatsApp status page."),
    )
    url = forms.URLField(label=_("Address"), max_length=500, required=False, assume_scheme="https")
    owner = forms.CharField(
        label=_("Owner"),
        max_length=100,
        help_text=_(
            "Who stands behind it, e.g. meta, downdetector. Two items confirm an outage only "
            "when their owners differ."
        ),
    )
    tier = forms.ChoiceField(
        label=_("Reliability"),
        choices=Source.Tier.choices,
        help_text=_("Official only for the service's own company (its status page, its account)."),
    )
    poll_interval_seconds = forms.IntegerField(
        label=_("Read every (seconds)"),
        min_value=MIN_POLL_SECONDS,
        max_value=MAX_POLL_SECONDS,
        initial=120,
    )
    is_enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args, service: Service, for_trial: bool = False, **kwargs):
        self.service, self.for_trial = service, for_trial
        super().__init__(*args, **kwargs)
        if for_trial:
            # "Test now" needs only what the collector reads: naming can come after.
            for name in ("name", "public_label", "owner", "tier", "poll_interval_seconds"):
                self.fields[name].required = False
        self.fields["url"].required = self.url_required
        if self.url_help:
            self.fields["url"].help_text = self.url_help
        self.component_slugs = set(service.components.values_list("slug", flat=True))

    @classmethod
    def initial_for(cls, source: Source) -> dict:
        initial = {
            name: getattr(source, name)
            for name in (
                "name",
                "public_label",
                "url",
                "owner",
                "tier",
                "poll_interval_seconds",
                "is_enabled",
            )
        }
        config = source.config if isinstance(source.config, dict) else {}
        for name in cls.config_fields:
            if name in config:
                initial[name] = config[name]
        return initial

    def _check_slugs(self, name: str) -> dict:
        mapping = self.cleaned_data.get(name) or {}
        unknown = sorted({slug for slug in mapping.values() if slug not in self.component_slugs})
        if unknown:
            raise ValidationError(
                _("Unknown component slug: %(slugs)s. This service has: %(known)s.")
                % {
                    "slugs": ", ".join(unknown),
                    "known": ", ".join(sorted(self.component_slugs)) or "–",
                }
            )
        return mapping

    def clean(self):
        cleaned = super().clean()
        if self.for_trial or cleaned is None:
            return cleaned
        problem = official_owner_problem(
            tier=cleaned.get("tier", ""), owner=cleaned.get("owner", ""), service=self.service
        )
        if problem == "official_other_owner":
            self.add_error(
                "tier",
                _(
                    "Official is for %(service)s's own sources: the owner must be "
                    "“%(owner)s”. A status page of another company is at most an "
                    "established monitor here."
                )
                % {"service": self.service.name, "owner": self.service.owner},
            )
        elif problem == "service_without_owner":
            self.add_error(
                "tier",
                _("Set the company of %(service)s first: only its own sources can be official.")
                % {"service": self.service.name},
            )
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": self.kind_value,
            "name": data["name"],
            "public_label": data["public_label"],
            "url": data.get("url") or "",
            "owner": data["owner"],
            "tier": data["tier"],
            "poll_interval_seconds": data["poll_interval_seconds"],
            "is_enabled": bool(data.get("is_enabled")),
        }

    def config(self) -> dict:
        """The config the collector reads: only the keys that were given."""
        result = {}
        for name in self.config_fields:
            value = self.cleaned_data.get(name)
            if value not in (None, "", [], {}):
                result[name] = value
        return result


class StatuspageForm(SourceForm):
    kind_value = Kind.STATUSPAGE
    config_fields = ("resource", "component_map")
    url_help = _(
        "The page's public API (Atlassian Statuspage): https://status.example.com/api/v2/"
        "summary.json for the current state, or …/api/v2/incidents.json for the history."
    )
    resource = forms.ChoiceField(
        label=_("What the address returns"),
        choices=[
            ("summary", _("summary.json (current state)")),
            ("incidents", _("incidents.json (history)")),
        ],
        initial="summary",
        required=False,
    )
    component_map = MappingField(
        label=_("Status page components"),
        help_text=_(
            "When a component's name on the page does not contain our keywords: one line "
            "per component, its name (or id) on the page = our component slug, e.g. "
            "“Message delivery = messages”."
        ),
    )

    def clean_component_map(self):
        return self._check_slugs("component_map")


class FeedForm(SourceForm):
    kind_value = Kind.FEED
    url_help = _(
        "An RSS or Atom feed, e.g. a status page's history: https://status.example.com/"
        "history.atom. Entries from an official source count as status, others as posts."
    )


class MastodonForm(SourceForm):
    kind_value = Kind.MASTODON
    config_fields = ("hashtags",)
    url_help = _(
        "The timeline of the first hashtag on an instance: "
        "https://mastodon.social/api/v1/timelines/tag/WhatsappDown"
    )
    hashtags = CommaListField(
        label=_("More hashtags"),
        cap=5,
        item_length=60,
        help_text=_("Read in the same request, without #, e.g. WhatsappDown, WhatsappProbleme."),
    )

    def clean_hashtags(self):
        return [tag.lstrip("#") for tag in self.cleaned_data.get("hashtags") or []]


class _QueryForm(SourceForm):
    config_fields: tuple[str, ...] = ("query",)
    query = forms.CharField(label=_("Search"), max_length=300)


class BlueskyForm(_QueryForm):
    kind_value = Kind.BLUESKY
    url_help = _(
        "The public search endpoint: https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["query"].help_text = _("e.g. #WhatsappDown OR #WhatsappProbleme")


class RedditForm(_QueryForm):
    kind_value = Kind.REDDIT
    url_help = _(
        "A listing: https://www.reddit.com/search.json (the search below is used), or a "
        "subreddit's https://www.reddit.com/r/whatsapp/new.json."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["query"].required = False
        self.fields["query"].help_text = _("For search.json addresses, e.g. whatsapp down")


class HNForm(_QueryForm):
    kind_value = Kind.HN
    url_help = _("Hacker News search by date: https://hn.algolia.com/api/v1/search_by_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["query"].help_text = _("e.g. whatsapp")


class XForm(_QueryForm):
    kind_value = Kind.X
    config_fields = ("query", "max_results")
    url_required = False
    url_help = _(
        "Leave empty for https://api.x.com/2/tweets/search/recent. Needs the X_BEARER_TOKEN "
        "setting."
    )
    max_results = forms.IntegerField(
        label=_("Posts per read"), min_value=10, max_value=100, required=False, initial=50
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["query"].help_text = _("e.g. (whatsapp down OR #whatsappdown) -is:retweet")


class ReportsForm(SourceForm):
    kind_value = Kind.REPORTS
    config_fields = (
        "series_path",
        "time_field",
        "value_field",
        "baseline_field",
        "problems_path",
        "problem_map",
        "timezone",
        "point_minutes",
        "public_url",
    )
    url_help = _(
        "A JSON endpoint with a time series of problem reports, like a Downdetector-style "
        "monitor's: {“time_series”: [{“date”: “2025-10-14 16:30:00”, “reports_value”: "
        "14812, “baseline_value”: 9}, …], “most_reported_problems”: [{“name”: "
        "“Messaging”, “percentage”: “61%”}]}"
    )
    series_path = forms.CharField(
        label=_("Where the points are"),
        max_length=100,
        initial="time_series",
        required=False,
        help_text=_(
            "The dotted path to the list of points in the JSON, e.g. time_series, or "
            "data.points for {“data”: {“points”: […]}}."
        ),
    )
    time_field = forms.CharField(
        label=_("Time of a point"),
        max_length=60,
        initial="date",
        required=False,
        help_text=_("The point's field holding its time, e.g. date."),
    )
    value_field = forms.CharField(
        label=_("Count of a point"),
        max_length=60,
        initial="reports_value",
        required=False,
        help_text=_("The point's field holding its number of reports, e.g. reports_value."),
    )
    baseline_field = forms.CharField(
        label=_("Usual count of a point"),
        max_length=60,
        required=False,
        help_text=_("Optional: the monitor's usual level for that time, e.g. baseline_value."),
    )
    problems_path = forms.CharField(
        label=_("Where the reported problems are"),
        max_length=100,
        required=False,
        help_text=_(
            "Optional: the path to a list of {name, percentage}, e.g. most_reported_problems."
        ),
    )
    problem_map = MappingField(
        label=_("Problems to components"),
        help_text=_("One line per problem name = our component slug, e.g. “Messaging = messages”."),
    )
    timezone = forms.CharField(
        label=_("Time zone of times without offset"),
        max_length=60,
        initial="UTC",
        required=False,
        help_text=_("e.g. UTC, Europe/Paris."),
    )
    point_minutes = forms.IntegerField(
        label=_("Minutes per point"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Leave empty to guess from the spacing (15 for Downdetector's chart)."),
    )
    public_url = forms.URLField(
        label=_("Public page"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("The page readers can open, e.g. https://downdetector.fr/statut/whatsapp/"),
    )

    def clean_timezone(self):
        zone = (self.cleaned_data.get("timezone") or "").strip()
        if zone:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValidationError(_("Unknown time zone, e.g. UTC or Europe/Paris.")) from None
        return zone

    def clean_problem_map(self):
        return self._check_slugs("problem_map")


class ProbeForm(SourceForm):
    kind_value = Kind.PROBE
    config_fields = ("hosts", "expect_status", "dns_timeout")
    url_required = False
    url_help = _(
        "A page of the service to request, e.g. https://web.whatsapp.com/ (latency and "
        "status are the evidence). Optional when host names are given."
    )
    hosts = CommaListField(
        label=_("Host names to resolve"),
        cap=10,
        item_length=253,
        help_text=_("Checked by DNS, e.g. web.whatsapp.com, g.whatsapp.net."),
    )
    expect_status = CommaListField(
        label=_("Expected HTTP statuses"),
        cap=10,
        item_length=3,
        help_text=_("Leave empty for any 2xx or 3xx, e.g. 200, 301."),
    )
    dns_timeout = forms.FloatField(
        label=_("DNS timeout (seconds)"), min_value=0.1, max_value=10, required=False
    )

    @classmethod
    def initial_for(cls, source):
        initial = super().initial_for(source)
        if isinstance(initial.get("expect_status"), list):
            initial["expect_status"] = [str(code) for code in initial["expect_status"]]
        return initial

    def clean_expect_status(self):
        codes = self.cleaned_data.get("expect_status") or []
        if any(not code.isdigit() or not 100 <= int(code) <= 599 for code in codes):
            raise ValidationError(
                _("HTTP statuses are numbers between 100 and 599, e.g. 200, 301.")
            )
        return [int(code) for code in codes]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("url") and not cleaned.get("hosts") and "url" not in self.errors:
            self.add_error("hosts", _("Give an address to request or host names to resolve."))
        return cleaned


class ReaderForm(SourceForm):
    kind_value = Kind.READER
    url_required = False
    url_help = _("Nothing to read: readers' reports arrive through the public form.")


KIND_FORMS: dict[str, type[SourceForm]] = {
    form.kind_value: form
    for form in (
        StatuspageForm,
        FeedForm,
        MastodonForm,
        BlueskyForm,
        RedditForm,
        HNForm,
        XForm,
        ReportsForm,
        ProbeForm,
        ReaderForm,
    )
}

# One sentence per kind on the "choose a kind" list.
KIND_DESCRIPTIONS: dict[str, StrOrPromise] = {
    Kind.STATUSPAGE: _("A company's status page (Atlassian Statuspage): components and incidents."),
    Kind.FEED: _("An RSS or Atom feed: a status history, an official blog, tech press."),
    Kind.MASTODON: _("Public posts under one or more hashtags on a Mastodon instance."),
    Kind.BLUESKY: _("Public Bluesky posts matching a search."),
    Kind.REDDIT: _("New posts of a subreddit or a Reddit search."),
    Kind.HN: _("Hacker News stories and comments matching a search."),
    Kind.X: _("Recent posts on X matching a search (needs an API token)."),
    Kind.REPORTS: _("Report counts over time from a Downdetector-style monitor."),
    Kind.PROBE: _("Our own check: request a page and resolve host names."),
    Kind.READER: _("Reports readers send with the “down for me” button."),
}


def kind_form(kind: str) -> type[SourceForm] | None:
    return KIND_FORMS.get(kind)
