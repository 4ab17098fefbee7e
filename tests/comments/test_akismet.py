"""Akismet is asked only when a key is set, through the project's safe_fetch wrapper; its
answer marks spam, and its failures never let a comment through unchecked by the other rules."""

import types

import pytest

from comments.moderation import akismet
from comments.services import comment_submit

pytestmark = pytest.mark.django_db


class FakeFetchError(Exception):
    pass


class FakeResult:
    def __init__(self, status, body, headers=None):
        self.status = status
        self._body = body
        self.headers = headers or {}

    def text(self):
        return self._body


@pytest.fixture
def fetch(monkeypatch):
    """A stand-in for outagedesk.lib.fetch's safe_fetch, as the Akismet module sees it,
    recording each call and answering as told."""
    calls = []
    answer = {"result": FakeResult(200, "false")}

    def safe_fetch(url, *, method="GET", data=None, timeout=(3.05, 10), **kwargs):
        calls.append({"url": url, "method": method, "data": data, "timeout": timeout})
        if isinstance(answer["result"], Exception):
            raise answer["result"]
        return answer["result"]

    monkeypatch.setattr(akismet, "safe_fetch", safe_fetch)
    monkeypatch.setattr(akismet, "FetchError", FakeFetchError)
    return types.SimpleNamespace(calls=calls, answer=answer)


def _submit(incident, text="Toujours en panne chez moi", **kw):
    return comment_submit(
        incident=incident,
        name="Camille",
        email="camille@example.org",
        text=text,
        address="192.0.2.8",
        user_agent="Mozilla/5.0",
        **kw,
    )


def test_not_called_without_a_key(settings, incident, fetch):
    settings.AKISMET_API_KEY = ""
    comment = _submit(incident)
    assert fetch.calls == []
    assert comment.reasons == []


def test_spam_verdict_marks_the_comment_as_spam(settings, incident, fetch):
    settings.AKISMET_API_KEY = "abc123"
    fetch.answer["result"] = FakeResult(200, "true", {"X-akismet-pro-tip": "discard"})

    comment = _submit(incident)

    call = fetch.calls[0]
    assert call["url"] == "https://abc123.rest.akismet.com/1.1/comment-check"
    assert call["method"] == "POST"
    connect, read = call["timeout"]  # (connect, read) like the real safe_fetch
    assert 0 < connect <= 5 and 0 < read <= 5
    assert call["data"]["comment_content"] == "Toujours en panne chez moi"
    assert call["data"]["user_ip"] == "192.0.2.8"
    assert call["data"]["comment_type"] == "comment"
    assert call["data"]["permalink"].endswith(f"/incidents/{incident.slug}/")
    assert comment.status == "spam"
    assert comment.reasons == [{"code": "akismet", "decision": "spam", "detail": "discard"}]


def test_ham_verdict_leaves_the_other_rules_to_decide(settings, incident, fetch):
    settings.AKISMET_API_KEY = "abc123"
    comment = _submit(incident)
    assert comment.status == "pending" and comment.reasons == []


@pytest.mark.parametrize(
    "failure",
    [
        FakeFetchError("timed out"),
        FakeResult(200, "invalid"),
        FakeResult(500, "oops"),
        RuntimeError("a bug in the fetch layer"),
    ],
)
def test_failures_are_noted_not_taken_as_ham_or_spam(settings, incident, fetch, failure):
    settings.AKISMET_API_KEY = "abc123"
    fetch.answer["result"] = failure

    comment = _submit(incident)

    assert comment.status == "pending"
    assert [r["code"] for r in comment.reasons] == ["akismet_unavailable"]


def test_not_asked_when_the_rules_already_rejected(settings, incident, fetch):
    settings.AKISMET_API_KEY = "abc123"
    comment = _submit(incident, text="Quel con")
    assert comment.status == "rejected"
    assert fetch.calls == []
