"""Times as machines read them: one ISO 8601 form in UTC for feeds, JSON and <time datetime>."""

from datetime import UTC, datetime


def iso_utc(moment: datetime | None) -> str | None:
    """ "2021-10-04T15:39:00Z", or None (JSON null) without a moment."""
    if not moment:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
