"""Bluesky post search: `GET /xrpc/app.bsky.feed.searchPosts?q=…&sort=latest`.

Config `query` fills `q` when the source URL does not carry one.
"""

from __future__ import annotations

from urllib.parse import quote

from incidents.collectors.base import (
    CollectContext,
    CollectedItem,
    dict_in,
    expect_dict,
    list_in,
    parse_time,
    short_key,
    text_of,
)
from outagedesk.lib.fetch import FetchBadContent


def post_link(uri: str, handle: str) -> str:
    """at://did/app.bsky.feed.post/rkey → https://bsky.app/profile/handle/post/rkey"""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post":
        return ""
    return f"https://bsky.app/profile/{quote(handle or parts[0], safe=':.')}/post/{quote(parts[2])}"


def collect(ctx: CollectContext) -> list[CollectedItem]:
    response = ctx.fetch(
        params={"q": text_of(ctx.config.get("query")), "sort": "latest", "limit": 50}
    )
    if response is None:
        return []
    data = expect_dict(response.json(), "a searchPosts object")
    posts = data.get("posts")
    if not isinstance(posts, list):
        raise FetchBadContent("unexpected response: no list of posts in the searchPosts answer")
    items = []
    for post in posts:
        if not isinstance(post, dict):
            continue
        uri = text_of(post.get("uri"))
        record = dict_in(post, "record")
        author = dict_in(post, "author")
        if not uri:
            continue
        handle = text_of(author.get("handle"))
        langs = list_in(record, "langs")
        items.append(
            CollectedItem(
                dedup_key=short_key("post", uri),
                url=post_link(uri, handle),
                text=text_of(record.get("text")),
                author=handle,
                language=text_of(langs[0]) if langs else "",
                published_at=parse_time(record.get("createdAt"))
                or parse_time(post.get("indexedAt")),
                raw={
                    "uri": uri,
                    "likes": post.get("likeCount"),
                    "reposts": post.get("repostCount"),
                    "replies": post.get("replyCount"),
                },
                signal_count=1,
            )
        )
    return items
