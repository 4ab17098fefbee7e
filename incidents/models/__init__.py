from incidents.models.evidence import Evidence
from incidents.models.incidents import (
    FAQEntry,
    Incident,
    IncidentSlugAlias,
    IncidentUpdate,
    IncidentUpdateTranslation,
)
from incidents.models.services import Component, Service
from incidents.models.signals import DetectorState, SignalBucket
from incidents.models.sources import Source
from incidents.models.templates import ResponseTemplate

__all__ = [
    "Component",
    "DetectorState",
    "Evidence",
    "FAQEntry",
    "Incident",
    "IncidentSlugAlias",
    "IncidentUpdate",
    "IncidentUpdateTranslation",
    "ResponseTemplate",
    "SignalBucket",
    "Service",
    "Source",
]
