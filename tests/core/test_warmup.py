"""Gunicorn workers start warm (outagedesk/warmup.py, run by outagedesk/wsgi.py in the master
before it forks): every template of the project compiles, the URL configuration and both
catalogues are loaded, and the database is not touched (a connection opened before the fork
would be shared by every worker)."""

import gc

import pytest
from django.template.loader import get_template
from django.urls import get_resolver

from outagedesk.warmup import freeze_loaded_objects, project_template_names, warm_up


@pytest.mark.django_db
def test_warm_up_loads_every_project_template_and_opens_no_connection(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        loaded = warm_up()

    names = project_template_names()
    # The reader's pages, the newsroom's and the emails, never a library's own templates.
    assert {"public/incident.html", "base.html", "comments/public_comments.html"} <= set(names)
    assert not [n for n in names if n.startswith(("admin/", "django/"))]
    assert loaded == {"languages": 2, "templates": len(names)}
    # Django's own flag (private, absent from the stubs): the URL tables are built.
    assert get_resolver()._populated  # type: ignore[attr-defined]
    get_template("public/incident.html")  # from the loader's cache now: compiled once


def test_what_the_master_loaded_is_out_of_the_collectors_sight():
    try:
        frozen = freeze_loaded_objects()
        # Django, the project's modules and what warm-up loaded: tens of thousands of objects a
        # full collection in a worker would otherwise walk, holding every thread of it.
        assert frozen > 10_000
        gc.collect(2)
        # A full collection leaves them where they are (a few may have been freed meanwhile).
        assert gc.get_freeze_count() > frozen - 100
    finally:
        gc.unfreeze()
