"""Hacker News through Algolia: `/api/v1/search_by_date?query=…` (stories and comments).

Config `query` fills `query` when the URL does not carry one.
"""

from __future__ import annotations

from incidents.collectors.base import (
    CollectContext,
    CollectedItem,
    expect_dict,
    list_in,
    parse_time,
    short_key,
    text_of,
)
from outagedesk.lib.fetch import FetchBadContent
from outagedesk.lib.sanitize import safe_url

ITEM_URL = "https://news.ycombinator.com/item?id={}"


def collect(ctx: CollectContext) -> list[CollectedItem]:
    response = ctx.fetch(
        params={
            "query": text_of(ctx.config.get("query")),
            "tags": "(story,comment)",
            "hitsPerPage": 50,
        }
    )
    if response is None:
        return []
    data = expect_dict(response.json(), "an Algolia search answer")
    hits = data.get("hits")
    if not isinstance(hits, list):
        raise FetchBadContent("unexpected response: no hits in the Algolia answer")
    items = []
    for hit in hits:
        if not isinstance(hit, dict):
            continue
        object_id = str(hit.get("objectID") or "")
        if not object_id.isdigit():
            continue
        tags = list_in(hit, "_tags")
        is_comment = "comment" in tags
        title = text_of(hit.get("title")) or text_of(hit.get("story_title"))
        items.append(
            CollectedItem(
                dedup_key=short_key("hn", object_id),
                url=ITEM_URL.format(object_id),
                title=f"Re: {title}" if is_comment and title else title,
                text=text_of(hit.get("story_text")) or text_of(hit.get("comment_text")),
                author=text_of(hit.get("author")),
                published_at=parse_time(hit.get("created_at_i"))
                or parse_time(hit.get("created_at")),
                raw={
                    "type": "comment" if is_comment else "story",
                    "points": hit.get("points"),
                    "comments": hit.get("num_comments"),
                    "link": safe_url(hit.get("url") or hit.get("story_url")),
                },
                signal_count=1,
            )
        )
    return items
