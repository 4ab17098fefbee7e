import pytest

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_staff_log_in_and_land_in_the_newsroom(client, editor):
    response = client.post("/accounts/login/", {"username": "edith", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/newsroom/"


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures_even_with_the_right_password(client, editor):
    # From the same address: the policy counts per (account, address), see
    # tests/security/test_login_policy.py for the rest of it.
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "edith", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "edith", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_requires_the_csrf_token(csrf_client_factory, editor):
    client = csrf_client_factory()
    response = client.post("/accounts/login/", {"username": "edith", "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.django_db
def test_logout_is_a_post(editor_client):
    assert editor_client.get("/accounts/logout/").status_code == 405
    assert editor_client.post("/accounts/logout/").status_code == 302


@pytest.mark.django_db
def test_security_headers_and_csp_nonce_on_pages(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
