from incidents.models.evidence import Evidence
from incidents.models.incidents import FAQEntry, Incident, IncidentUpdate
from incidents.models.services import Component, Service
from incidents.models.sources import Source
from incidents.models.templates import ResponseTemplate

__all__ = [
    "Component",
    "Evidence",
    "FAQEntry",
    "Incident",
    "IncidentUpdate",
    "ResponseTemplate",
    "Service",
    "Source",
]
