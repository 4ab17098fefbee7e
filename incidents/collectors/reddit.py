"""Reddit listings: subreddit `new.json` and `search.json` (a Listing of t3 posts).

Config `query` fills `q` for search URLs when the URL does not carry one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from incidents.collectors.base import (
    CollectContext,
    CollectedItem,
    dict_in,
    expect_dict,
    parse_time,
    short_key,
    text_of,
)
from outagedesk.lib.fetch import FetchBadContent
from outagedesk.lib.sanitize import safe_url

REDDIT = "https://www.reddit.com"


def collect(ctx: CollectContext) -> list[CollectedItem]:
    path = urlsplit(ctx.source.url).path
    params: dict = {"limit": 50, "raw_json": 1}
    if path.rstrip("/").endswith("search.json"):
        params.update({"q": text_of(ctx.config.get("query")), "sort": "new", "t": "day"})
        if path.startswith("/r/"):
            params["restrict_sr"] = 1
    response = ctx.fetch(params=params)
    if response is None:
        return []
    listing = expect_dict(response.json(), "a Reddit Listing")
    data = listing.get("data")
    if listing.get("kind") != "Listing" or not isinstance(data, dict):
        raise FetchBadContent("unexpected response: not a Reddit Listing")
    items = []
    for child in data.get("children") or []:
        if not isinstance(child, dict) or child.get("kind") != "t3":
            continue
        post = dict_in(child, "data")
        name = text_of(post.get("name"))
        if not name:
            continue
        permalink = text_of(post.get("permalink"))
        url = f"{REDDIT}{permalink}" if permalink.startswith("/r/") else text_of(post.get("url"))
        author = text_of(post.get("author"))
        items.append(
            CollectedItem(
                dedup_key=short_key("t3", name),
                url=url,
                title=text_of(post.get("title")),
                text=text_of(post.get("selftext")),
                author="" if author == "[deleted]" else author,
                published_at=parse_time(post.get("created_utc")),
                raw={
                    "subreddit": text_of(post.get("subreddit")),
                    "score": post.get("score"),
                    "comments": post.get("num_comments"),
                    "link": safe_url(post.get("url_overridden_by_dest")),
                },
                signal_count=1,
            )
        )
    return items
