"""Who may open what: every route of the URL resolver, with GET and POST, for an anonymous
reader, a logged-in account without role, a moderator, an editor and an admin; then CSRF on
every state change (token for staff, same-origin check for the reader forms on cached pages).

A route missing from the table in tests/security/routes.py fails here, so a new view cannot
escape the matrix."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.middleware.csrf import _get_new_csrf_string
from django.urls import resolve

from comments.models import Comment
from incidents.models import Evidence, SignalBucket
from notifications.models import Subscriber
from tests.security.routes import BY_NAME, PUBLIC, ROLES, TOKEN_AUTHORISED, all_routes
from tests.support.access import (
    EVIL,
    PUSH_ENDPOINT,
    SITE,
    push_subscription,
    rolled_back,
    row_counts,
)
from tests.support.comments import comment_data

ROUTES = all_routes()
CLASSIFIED = [route for route in ROUTES if route.access is not None]
# Statuses that prove the request got past the access check to the view itself.
REACHED = {200, 201, 204, 301, 302, 303, 304, 400, 405, 409, 410, 422, 429}


def test_every_route_has_a_name():
    unnamed = [f"/{r.route}" for r in ROUTES if r.name.endswith(":") or not r.name]
    assert not unnamed, f"Name these routes (the table keys on names): {unnamed}"


def test_every_route_is_classified():
    missing = [f"/{r.route} ({r.name})" for r in ROUTES if r.access is None]
    assert not missing, (
        "New view not classified: add it to BY_NAME or BY_PREFIX in tests/security/routes.py "
        "with who may use it:\n" + "\n".join(missing)
    )


def test_the_table_names_only_existing_routes():
    names = {route.name for route in ROUTES}
    stale = sorted(set(BY_NAME) - names)
    assert not stale, f"Routes in the table that no longer exist: {stale}"


def test_the_walk_sees_every_area():
    names = {route.name for route in ROUTES}
    for expected in ("admin:index", "newsroom:dashboard", "public_pages:incident", "login"):
        assert expected in names


def _is_login_redirect(response, login_url: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login_url)


def _check(route, role, method, response, access):
    where = f"{method} {route.name} as {role}: {response.status_code}"
    if role in access.allowed:
        assert response.status_code in REACHED, where
        if response.status_code == 302:
            assert not response["Location"].startswith(access.login_url), where
    elif role == "anonymous":
        assert _is_login_redirect(response, access.login_url), where
    elif access.login_url == "/admin/login/":
        # The admin sends accounts without staff status to its own login page.
        assert _is_login_redirect(response, access.login_url), where
    else:
        assert response.status_code == 403, where


@pytest.mark.parametrize("route", CLASSIFIED, ids=str)
def test_each_user_is_allowed_or_denied_as_the_table_says(route, world, clients):
    access = route.access
    path = route.path(world)
    # Denied users first: their requests must change nothing at all.
    order = sorted(ROLES, key=lambda role: role in access.allowed)
    for role in order:
        client = clients[role]
        for method in ("get", "post"):
            cache.clear()  # rate-limit counters and cached pages start afresh for each user
            with rolled_back():
                before = row_counts() if role not in access.allowed else None
                response = getattr(client, method)(path)
                _check(route, role, method.upper(), response, access)
                if before is not None:
                    assert row_counts() == before, f"{method} {route.name} as {role} changed rows"


@pytest.mark.django_db
def test_staff_see_only_their_role_in_the_admin(clients):
    """Each role's model permissions (data migration outagedesk/0002_roles)."""
    expectations = {
        # role: (admin pages it may open, admin pages it must not)
        "editor": (
            ["/admin/incidents/incident/", "/admin/incidents/evidence/"],
            ["/admin/comments/comment/", "/admin/auth/user/", "/admin/incidents/source/"],
        ),
        "moderator": (
            ["/admin/comments/comment/", "/admin/comments/ban/", "/admin/incidents/faqentry/"],
            ["/admin/incidents/evidence/", "/admin/auth/user/", "/admin/incidents/incident/"],
        ),
        "admin": (
            ["/admin/auth/user/", "/admin/incidents/source/", "/admin/outagedesk/auditevent/"],
            [],
        ),
    }
    for role, (allowed, denied) in expectations.items():
        client = clients[role]
        index = client.get("/admin/").content.decode()
        for url in allowed:
            assert client.get(url).status_code == 200, f"{role} {url}"
            assert f'href="{url}"' in index, f"{role} does not see {url} on the admin index"
        for url in denied:
            assert client.get(url).status_code == 403, f"{role} {url}"
            assert f'href="{url}"' not in index, f"{role} sees {url} on the admin index"


# --- CSRF ------------------------------------------------------------------------------------

TOKEN_CHECKED = [r for r in CLASSIFIED if not r.origin_checked and r.name not in TOKEN_AUTHORISED]
ORIGIN_CHECKED = [r for r in CLASSIFIED if r.origin_checked]


def test_no_view_skips_csrf_without_a_replacement():
    """csrf_exempt only on the origin-checked reader forms and the token-authorised links."""
    loose = [
        route.name
        for route in ROUTES
        if route.csrf_exempt and not route.origin_checked and route.name not in TOKEN_AUTHORISED
    ]
    assert not loose, f"csrf_exempt without an origin check: {loose}"
    assert not [r.name for r in ROUTES if r.origin_checked and r.access.allowed != set(ROLES)], (
        "origin-checked routes are for readers; staff views keep the CSRF token"
    )


def _least_privileged(access) -> str:
    return next(role for role in ROLES if role in access.allowed)


@pytest.mark.parametrize("route", TOKEN_CHECKED, ids=str)
def test_a_post_without_the_csrf_token_is_refused(route, world, clients, csrf_client_factory):
    role = _least_privileged(route.access)
    client = csrf_client_factory(clients["users"][role])
    path = route.path(world)
    before = row_counts()
    response = client.post(path, headers={"Origin": SITE})
    assert response.status_code == 403, f"POST {route.name} as {role} without a token"
    assert row_counts() == before

    # With the token the same request gets past the CSRF check: the 403 above was CSRF's.
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    with rolled_back():
        response = client.post(path, headers={"Origin": SITE, "X-CSRFToken": token})
    assert response.status_code in REACHED, f"POST {route.name} as {role} with the token"


def test_staff_routes_all_need_the_token():
    staff = [r.name for r in TOKEN_CHECKED if "anonymous" not in r.access.allowed]
    assert len(staff) >= 15, staff  # the newsroom's and the moderation queue's actions


@dataclass(frozen=True)
class ReaderPost:
    """A valid submission of one reader form, and how to tell it did its work."""

    data: Callable[[dict], dict]
    done: Callable[[dict], bool]
    json: bool = False


def _comment_form(world) -> dict:
    return comment_data(text="Same here in Lyon, no messages since noon.")


READER_POSTS = {
    "incidents:reader_report": ReaderPost(
        data=lambda w: {"component": "messages", "country": "FR"},
        done=lambda w: (
            Evidence.objects.filter(source__kind="reader_reports").exists()
            or SignalBucket.objects.exists()
        ),
    ),
    "comments_public:section": ReaderPost(
        data=_comment_form,
        done=lambda w: Comment.objects.filter(incident=w["public"]).count() == 2,
    ),
    "comments_public:report": ReaderPost(
        data=lambda w: {},
        done=lambda w: Comment.objects.get(pk=w["comment"].pk).report_count == 1,
    ),
    "notifications:subscribe": ReaderPost(
        data=lambda w: {
            "channel": "email",
            "email": "reader@example.org",
            "service": w["service"].slug,
            "incident": w["public"].slug,
            "language": "en",
        },
        done=lambda w: Subscriber.objects.filter(email="reader@example.org").exists(),
    ),
    "notifications:subscribe_push": ReaderPost(
        data=lambda w: {
            "subscription": push_subscription("https://push.example.net/send/new"),
            "service": w["service"].slug,
            "language": "en",
        },
        done=lambda w: Subscriber.objects.filter(
            push_subscription__endpoint="https://push.example.net/send/new"
        ).exists(),
        json=True,
    ),
    "notifications:unsubscribe_push": ReaderPost(
        data=lambda w: {"endpoint": PUSH_ENDPOINT},
        done=lambda w: not Subscriber.objects.filter(pk=w["pushed"].pk).exists(),
        json=True,
    ),
    "notifications:confirm": ReaderPost(
        data=lambda w: {},
        done=lambda w: Subscriber.objects.get(pk=w["waiting"].pk).confirmed_at is not None,
    ),
}


def _post(client, path, post: ReaderPost, world, headers):
    data = post.data(world)
    if post.json:
        return client.post(path, json.dumps(data), "application/json", headers=headers)
    return client.post(path, data, headers=headers)


@pytest.mark.parametrize("route", ORIGIN_CHECKED, ids=str)
def test_reader_forms_refuse_other_origins_and_accept_their_own(route, world, client):
    assert route.name in READER_POSTS, f"{route.name}: add a valid submission to READER_POSTS"
    post = READER_POSTS[route.name]
    path = route.path(world)
    before = row_counts()
    refused = [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Origin": EVIL, "Referer": f"{SITE}/"},
        {"Referer": f"{EVIL}/incidents/"},
        {},  # neither Origin nor Referer: nothing proves the post came from our page
    ]
    for headers in refused:
        response = _post(client, path, post, world, headers)
        assert response.status_code == 403, f"{route.name} with {headers}"
    assert row_counts() == before, f"{route.name}: a refused post changed rows"
    assert not post.done(world)

    for headers in ({"Origin": SITE}, {"Referer": f"{SITE}/incidents/{world['public'].slug}/"}):
        cache.clear()
        with rolled_back():
            response = _post(client, path, post, world, headers)
            assert 200 <= response.status_code < 400, f"{route.name} with {headers}"
            assert post.done(world), f"{route.name} accepted the post but did nothing"


def test_one_click_unsubscribe_is_authorised_by_its_signed_token_alone(world, client):
    """RFC 8058: the mail provider posts from its own servers, so no Origin of ours; a forged
    or altered token does nothing."""
    token = world["params"]["notifications:unsubscribe.token"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    before = row_counts()
    response = client.post(f"/unsubscribe/{forged}/", headers={"Origin": EVIL})
    assert response.status_code == 400
    assert row_counts() == before
    response = client.post(f"/unsubscribe/{token}/", headers={"Origin": EVIL})
    assert response.status_code == 200
    assert not Subscriber.objects.filter(pk=world["pushed"].pk).exists()


# --- Forms on the pages ----------------------------------------------------------------------


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form":
            self.forms.append({**values, "token": False})
        elif tag == "input" and values.get("name") == "csrfmiddlewaretoken" and self.forms:
            self.forms[-1]["token"] = True


def post_forms(response) -> list[dict]:
    parser = _Forms()
    parser.feed(response.content.decode())
    return [f for f in parser.forms if (f.get("method") or "get").lower() == "post"]


def _target(form: dict, page: str):
    return resolve(urlsplit(urljoin(page, form.get("action") or page)).path)


def test_forms_on_cached_public_pages_post_to_origin_checked_endpoints(world, client):
    """Public pages are cached for everyone, so they carry no CSRF token: each of their forms
    must post to a reader endpoint that checks the origin instead (or to a signed-token link),
    or it could never work."""
    seen = 0
    for route in CLASSIFIED:
        if route.access is not PUBLIC or route.name in ("login", "logout"):
            continue
        path = route.path(world)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for form in post_forms(response):
            seen += 1
            target = _target(form, path)
            checked = getattr(target.func, "origin_checked", False)
            assert checked or target.view_name in TOKEN_AUTHORISED or form["token"], (
                f"{path}: form posting to {form.get('action')} has neither a token nor an "
                "origin-checked endpoint"
            )
    assert seen >= 4  # report, subscribe, comment, confirm


def test_staff_forms_carry_the_token_for_browsers_without_htmx(world, clients):
    draft = world["draft"].pk
    pages = [
        ("editor", "/newsroom/"),
        ("editor", f"/newsroom/incidents/{draft}/"),
        ("editor", "/newsroom/incidents/new/"),
        ("moderator", "/moderation/"),
        ("moderator", "/moderation/replies/new/"),
    ]
    missing = []
    for role, path in pages:
        for form in post_forms(clients[role].get(path)):
            if not form["token"]:
                missing.append(f"{path}: form to {form.get('action')}")
    assert not missing, missing
