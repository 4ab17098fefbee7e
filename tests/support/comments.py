"""A reader's comment form post that looks like a browser's: the signed "form opened at" token,
this site's Origin, the reader's address."""

import time

from django.core import signing
from django.test import TestCase

from comments.forms import FORM_TOKEN_SALT

SITE = "http://testserver"


def opened_token(seconds_ago: float = 60) -> str:
    """The signed 'form opened at' token, as if the reader opened the form seconds_ago."""
    return signing.dumps(round(time.time() - seconds_ago, 3), salt=FORM_TOKEN_SALT)


def comment_data(**overrides) -> dict:
    data = {
        "name": "Camille",
        "email": "",
        "text": "Toujours rien chez moi à Lyon depuis midi.",
        "website": "",
        "ts": opened_token(),
    }
    data.update(overrides)
    return data


def post_comment(client, incident, *, address="203.0.113.7", **overrides):
    """POST the comment form like a browser on this site (Origin header, reader address), at the
    incident page's own address: the incident is written in French only, so its page (and the
    refusals the section shows) is French.

    The automatic checks the view enqueues on commit run once the response is out, as on a
    worker (eagerly in tests): the test database never commits, so the callbacks are run here."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            f"/fr/incidents/{incident.slug}/comments/",
            comment_data(**overrides),
            HTTP_ORIGIN=SITE,
            REMOTE_ADDR=address,
        )
