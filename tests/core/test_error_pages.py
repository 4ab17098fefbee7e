"""Error pages: 403, 404, 429 and 500 in the page's language, with the site header, what happened,
what to do and a way back; staff navigation only links to what the user's role opens; a favicon
instead of a 404 on every page view."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.utils import translation

from outagedesk.errors import server_error, too_many_requests
from tests.factories import PASSWORD

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def text_of(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_not_found_page_in_english(client, settings):
    settings.SITE_NAME = "La Gazette Status"
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = text_of(response)
    assert '<html lang="en">' in html
    assert "Page not found" in html
    # The home page in the page's language (an unprefixed "/" would redirect there anyway).
    assert 'class="site-name" href="/en/"><span>La Gazette Status</span></a>' in html
    assert 'href="/">Back to the home page</a>' in html


@pytest.mark.django_db
def test_not_found_page_in_french(client):
    response = client.get("/no/such/page/", **FRENCH)
    assert response.status_code == 404
    html = text_of(response)
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html
    assert "Retour à l’accueil" in html
    assert "Page not found" not in html


@pytest.mark.django_db
def test_forbidden_page_offers_the_areas_the_role_opens(client, moderator):
    client.login(username=moderator.username, password=PASSWORD)
    response = client.get("/newsroom/")
    assert response.status_code == 403
    html = text_of(response)
    assert "You cannot open this page" in html
    assert 'href="/moderation/">Moderation</a>' in html
    assert 'href="/newsroom/"' not in html


@pytest.mark.django_db
def test_staff_navigation_links_only_to_what_the_role_opens(client, moderator, editor, admin_user):
    client.login(username=moderator.username, password=PASSWORD)
    html = text_of(client.get("/moderation/"))
    assert 'href="/moderation/">Moderation</a>' in html
    assert 'href="/newsroom/"' not in html and 'href="/admin/"' not in html

    client.login(username=editor.username, password=PASSWORD)
    html = text_of(client.get("/newsroom/"))
    assert 'href="/newsroom/">Newsroom</a>' in html
    assert 'href="/moderation/"' not in html and 'href="/admin/"' not in html

    client.login(username=admin_user.username, password=PASSWORD)
    html = text_of(client.get("/newsroom/"))
    for area in ("/newsroom/", "/moderation/", "/admin/"):
        assert f'href="{area}"' in html


@pytest.mark.django_db
def test_server_error_page_is_translated_and_styled(settings):
    settings.SITE_NAME = "La Gazette Status"
    request = RequestFactory().get("/")
    with translation.override("fr"):
        response = server_error(request)
    html = text_of(response)
    assert response.status_code == 500
    assert '<html lang="fr">' in html
    assert "La Gazette Status" in html
    assert "Un problème est survenu de notre côté" in html


def test_rate_limited_page_says_when_to_come_back(rf):
    request = rf.get("/subscribe/")
    with translation.override("fr"):
        response = too_many_requests(request, retry_after=3600)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Patientez 60\u00a0minutes, puis réessayez." in text_of(response)
    with translation.override("en"):
        response = too_many_requests(request, retry_after=30)
    assert "Please wait 1 minute, then try again." in text_of(response)


@pytest.mark.django_db
def test_favicon_is_served_not_missing(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    favicon = finders.find("favicon.svg")
    assert isinstance(favicon, str)
    assert "<svg" in Path(favicon).read_text()
    assert 'rel="icon"' in text_of(client.get("/no/such/page/"))
