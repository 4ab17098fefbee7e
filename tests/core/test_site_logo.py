"""SITE_LOGO: the newsroom's logo in the public header, a static file checked at start-up: a
path that does not resolve stops the start with an error naming the setting."""

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from outagedesk.branding import check_site_logo
from tests.public.htmltools import parse_html, text_of


@pytest.mark.parametrize(
    "logo", ["brand/missing.svg", "https://cdn.example.org/logo.svg", "../secrets.png", "favicon"]
)
def test_a_logo_that_is_not_a_local_static_image_stops_the_start(logo):
    with override_settings(SITE_LOGO=logo), pytest.raises(ImproperlyConfigured, match="SITE_LOGO"):
        check_site_logo()
    # The check runs when the app starts, not on a page view later.
    with override_settings(SITE_LOGO=logo), pytest.raises(ImproperlyConfigured, match="SITE_LOGO"):
        apps.get_app_config("outagedesk").ready()


def test_no_logo_and_an_existing_file_start_fine():
    with override_settings(SITE_LOGO=""):
        check_site_logo()
    with override_settings(SITE_LOGO="favicon.svg"):
        check_site_logo()


@pytest.mark.django_db
def test_the_header_shows_the_logo_beside_the_name(client, seeded):
    with override_settings(SITE_LOGO="favicon.svg"):
        header = parse_html(client.get("/en/incidents/whatsapp-panne-mondiale-2021-10-04/").content)
    site = header.find("header").find("a")
    assert site.find("img").attrs["src"] == "/static/favicon.svg"
    assert site.find("img").attrs["alt"] == ""  # the name beside it says it
    assert text_of(site) == settings.SITE_NAME
    cache.clear()  # a logo changes with a deployment, which starts with fresh pages
    plain = parse_html(client.get("/en/incidents/whatsapp-panne-mondiale-2021-10-04/").content)
    assert plain.find("header").find("img") is None
