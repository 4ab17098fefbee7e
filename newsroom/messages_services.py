"""Editor-facing wording of the rule codes raised by the service and source writers."""

from django.utils.translation import gettext_lazy as _

from incidents.services.services import (
    MAX_ALTERNATIVES,
    MAX_COMPONENTS,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_REGIONS,
)

SERVICE_ERRORS = {
    "slug_taken": _("Another service already uses this address name."),
    "too_many_regions": _("At most %(cap)d regions."),
    "too_many_components": _("At most %(cap)d components."),
    "too_many_keywords": _("At most %(cap)d keywords."),
    "keyword_too_long": _("A keyword is at most %(length)d characters long."),
    "component_slug_twice": _("Two components cannot have the same slug."),
    "component_in_use": _("This component is named in incidents: it cannot be removed."),
    "too_many_alternatives": _("At most %(cap)d alternatives."),
    "alternative_without_name": _("An alternative needs a name."),
    "service_has_incidents": _(
        "This service has incidents: it cannot be removed. Archive it instead, its pages "
        "and history are kept."
    ),
    "official_other_owner": _(
        "Official is only for the service's own company: change the owner or the reliability."
    ),
    "service_without_owner": _("Set the service's company first: only its sources are official."),
    "poll_interval": _("Read every 10 seconds to 24 hours."),
    "unknown_kind": _("Choose a kind of source from the list."),
}


# Filled when the message is shown, so it is translated in the editor's language.
LIMITS = {
    "too_many_regions": MAX_REGIONS,
    "too_many_components": MAX_COMPONENTS,
    "too_many_keywords": MAX_KEYWORDS,
    "keyword_too_long": MAX_KEYWORD_LENGTH,
    "too_many_alternatives": MAX_ALTERNATIVES,
}


def service_error_message(code: str) -> str:
    message = str(SERVICE_ERRORS.get(code, _("This change was refused.")))
    if code in LIMITS:
        return message % {"cap": LIMITS[code], "length": LIMITS[code]}
    return message
