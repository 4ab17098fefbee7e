"""Mastodon hashtag timelines: `GET /api/v1/timelines/tag/:hashtag` (an array of Status).

The source URL is the timeline of the first hashtag; config `hashtags` lists more tags, asked
for with `any[]`. Boosts are read as the boosted status, so a post boosted ten times is one item.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from incidents.collectors.base import (
    CollectContext,
    CollectedItem,
    dict_in,
    expect_list,
    list_in,
    parse_time,
    short_key,
    text_of,
)


def collect(ctx: CollectContext) -> list[CollectedItem]:
    path_tag = unquote(urlsplit(ctx.source.url).path.rstrip("/").rsplit("/", 1)[-1]).casefold()
    hashtags = list_in(ctx.config, "hashtags")
    extra = [t for t in hashtags if isinstance(t, str) and t.casefold() != path_tag][:4]
    response = ctx.fetch(params={"limit": 40, "any[]": extra})
    if response is None:
        return []
    statuses = expect_list(response.json(), "an array of Mastodon statuses")
    items = []
    for status in statuses:
        if not isinstance(status, dict):
            continue
        if isinstance(status.get("reblog"), dict):
            status = status["reblog"]
        identifier = text_of(status.get("uri")) or text_of(status.get("id"))
        if not identifier:
            continue
        account = dict_in(status, "account")
        warning = text_of(status.get("spoiler_text"))
        content = text_of(status.get("content"))
        items.append(
            CollectedItem(
                dedup_key=short_key("status", identifier),
                url=text_of(status.get("url")) or identifier,
                text=f"{warning}\n{content}" if warning else content,
                author=text_of(account.get("acct")),
                language=text_of(status.get("language")),
                published_at=parse_time(status.get("created_at")),
                raw={
                    "id": text_of(status.get("id")),
                    "replies": status.get("replies_count"),
                    "reblogs": status.get("reblogs_count"),
                    "favourites": status.get("favourites_count"),
                },
                signal_count=1,
            )
        )
    return items
