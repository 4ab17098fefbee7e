"""Promoting a reader's question and its official answer to the incident's FAQ."""

from django.db import transaction
from django.db.models import Max

from comments.models import Comment
from comments.sanitize import plain_text
from comments.similarity import normalise
from incidents.models import FAQEntry
from outagedesk.audit import audit_record


@transaction.atomic
def comment_promote_to_faq(*, actor, comment: Comment, question: str, answer: str) -> FAQEntry:
    """Create, or update when the incident already has this question, a published FAQ entry."""
    question = plain_text(question, max_length=300, multiline=False)
    answer = plain_text(answer, max_length=4000)
    if not question or not answer:
        raise ValueError("Both the question and the answer are needed.")
    incident = comment.incident
    language = comment.language or incident.language
    # Compared folded (case, accents, punctuation) in Python: SQLite's iexact is ASCII-only.
    wanted = normalise(question)
    entry = next(
        (
            e
            for e in FAQEntry.objects.select_for_update().filter(
                incident=incident, language=language
            )
            if normalise(e.question) == wanted
        ),
        None,
    )
    created = entry is None
    if created:
        last = FAQEntry.objects.filter(incident=incident).aggregate(m=Max("position"))["m"]
        entry = FAQEntry(
            incident=incident,
            service=incident.service,
            language=language,
            question=question,
            position=0 if last is None else last + 1,
        )
    entry.answer = answer
    entry.is_published = True
    entry.updated_by = actor
    entry.save()
    audit_record(
        actor=actor,
        action="faq.create" if created else "faq.update",
        target=entry,
        details={"from_comment": comment.pk, "incident": incident.slug},
    )
    return entry
