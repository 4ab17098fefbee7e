"""The incident page a reader on a slow phone network loads: its HTML, stylesheets and script
stay under 35 KB compressed (gzip, as the front server sends them). Prints the figure."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from tests.public.htmltools import parse_html

BUDGET = 35 * 1024


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["whatsapp-down-europe", "whatsapp-panne-mondiale-2021-10-04"])
def test_incident_page_with_its_css_and_js_is_under_35_kb_compressed(client, active_incident, slug):
    html = client.get(f"/en/incidents/{slug}/").content
    page = parse_html(html)
    assets = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    assets += [script.attrs["src"] for script in page.find_all("script") if "src" in script.attrs]
    sizes = {"html": gzipped(html)}
    for url in assets:
        path = finders.find(re.sub(r"^/static/", "", url))
        assert path, url
        with open(path, "rb") as handle:
            sizes[url] = gzipped(handle.read())
    total = sum(sizes.values())
    print(f"{slug}: {total} bytes gzipped ({sizes})")
    assert len(assets) == 3  # the base stylesheet, the page's, and the one script
    assert total < BUDGET
