"""Times as machines and readers read them, one home for each form.

- `iso_utc`: ISO 8601 in UTC for feeds, JSON and `<time datetime>`.
- `human_datetime` / `human_time`: the one date format and the one time format per language,
  used by every public surface (pages, banner, emails, feeds' human text):

      English  "30 Nov 2026, 15:17"       French  "30/11/2026 15:17"

  both 24-hour and in UTC unless a zone is given; public/static/public/incident.js builds the
  same forms in the reader's zone. Month names are fixed here, not taken from the locale
  database, so the server and every browser write the very same words.
"""

from datetime import UTC, datetime, tzinfo

EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def iso_utc(moment: datetime | None) -> str | None:
    """ "2021-10-04T15:39:00Z", or None (JSON null) without a moment."""
    if not moment:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _french(language: str | None) -> bool:
    return (language or "en").lower().startswith("fr")


def human_time(moment: datetime | None, language: str | None, *, zone: tzinfo = UTC) -> str:
    """ "15:17" (both languages write the 24-hour clock the same way)."""
    if not moment:
        return ""
    return moment.astimezone(zone).strftime("%H:%M")


def human_datetime(moment: datetime | None, language: str | None, *, zone: tzinfo = UTC) -> str:
    """ "30 Nov 2026, 15:17" in English, "30/11/2026 15:17" in French."""
    if not moment:
        return ""
    local = moment.astimezone(zone)
    if _french(language):
        return f"{local:%d/%m/%Y} {local:%H:%M}"
    return f"{local.day} {EN_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"
