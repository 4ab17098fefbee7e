"""A decided item shows its state (who, when, the note), not the Verify / Reject buttons."""

import re

from django.urls import reverse

from incidents.services.verification import evidence_reject, evidence_verify
from tests.factories import make_evidence

HX = {"HTTP_HX_REQUEST": "true"}


def item_html(html: str, pk: int) -> str:
    match = re.search(rf'<li class="inbox-item[^"]*" id="evidence-{pk}".*?</li>', html, re.S)
    assert match, f"evidence {pk} not in the inbox"
    return match.group(0)


def test_decided_items_show_their_state_instead_of_the_buttons(
    editor_client, editor, incident, mastodon, downdetector
):
    pending = make_evidence(mastodon, text="still to check")
    verified = make_evidence(downdetector, text="checked on the chart")
    rejected = make_evidence(mastodon, text="a joke")
    evidence_verify(actor=editor, evidence=verified, incident=incident, note="chart matches")
    evidence_reject(actor=editor, evidence=rejected, incident=incident)

    html = editor_client.get(reverse("newsroom:inbox", args=[incident.pk]), **HX).content.decode()

    undecided = item_html(html, pending.pk)
    assert 'data-action="verify"' in undecided and 'data-action="reject"' in undecided

    done = item_html(html, verified.pk)
    assert "Verified" in done and "by edith at" in done and "chart matches" in done
    assert 'data-action="verify"' not in done and 'data-action="reject"' not in done
    assert ">Verify<" not in done and ">Reject<" not in done

    refused = item_html(html, rejected.pk)
    assert "Rejected" in refused and "by edith at" in refused
    assert 'data-action="verify"' not in refused and 'data-action="reject"' not in refused


def test_the_answer_to_a_verification_shows_the_state(editor_client, incident, mastodon):
    item = make_evidence(mastodon)
    response = editor_client.post(
        reverse("newsroom:evidence_verify", args=[incident.pk, item.pk]), **HX
    )
    answered = item_html(response.content.decode(), item.pk)
    assert "by edith at" in answered and 'data-action="verify"' not in answered


def test_a_decision_can_still_be_reversed_on_purpose(editor_client, editor, incident, mastodon):
    item = make_evidence(mastodon)
    evidence_verify(actor=editor, evidence=item, incident=incident)
    html = editor_client.get(reverse("newsroom:inbox", args=[incident.pk]), **HX).content.decode()
    reverse_form = item_html(html, item.pk)
    url = reverse("newsroom:evidence_reject", args=[incident.pk, item.pk])
    assert "Change the decision" in reverse_form and f'hx-post="{url}"' in reverse_form
    editor_client.post(url, **HX)
    item.refresh_from_db()
    assert item.state == "rejected"
