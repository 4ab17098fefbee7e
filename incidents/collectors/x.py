"""X/Twitter API v2 recent search: `GET /2/tweets/search/recent?query=…`.

Off unless settings.X_BEARER_TOKEN is set (the API has no anonymous access). Config `query` is
the search query; the source URL may be left empty for the public API endpoint.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from incidents.collectors.base import (
    CollectContext,
    CollectedItem,
    CollectorOff,
    dict_in,
    expect_dict,
    parse_time,
    short_key,
    text_of,
)
from outagedesk.lib.fetch import FetchBadContent

API_URL = "https://api.x.com/2/tweets/search/recent"


def unavailable_reason() -> str:
    return "" if settings.X_BEARER_TOKEN else _("off: X_BEARER_TOKEN is not set")


def collect(ctx: CollectContext) -> list[CollectedItem]:
    if reason := unavailable_reason():
        raise CollectorOff(reason)
    query = text_of(ctx.config.get("query"))
    if not query and "query=" not in ctx.source.url:
        raise CollectorOff(_("off: the source has no search query (config 'query')"))
    try:
        max_results = min(max(int(ctx.config.get("max_results", 50)), 10), 100)
    except (TypeError, ValueError):
        max_results = 50
    response = ctx.fetch(
        ctx.source.url or API_URL,
        params={
            "query": query,
            "max_results": max_results,
            "tweet.fields": "created_at,lang,author_id,public_metrics",
            "expansions": "author_id",
            "user.fields": "username",
        },
        headers={"Authorization": f"Bearer {settings.X_BEARER_TOKEN}"},
        conditional=False,
    )
    if response is None:
        return []
    data = expect_dict(response.json(), "an X API v2 search answer")
    tweets = data.get("data", [])
    if not isinstance(tweets, list):
        raise FetchBadContent("unexpected response: 'data' is not a list of posts")
    if not tweets and isinstance(data.get("errors"), list) and "meta" not in data:
        error = data["errors"][0] if data["errors"] else {}
        detail = (
            text_of(error.get("detail")) or text_of(error.get("title"))
            if isinstance(error, dict)
            else ""
        )
        raise FetchBadContent(f"the X API answered with an error: {detail[:200]}")
    includes = dict_in(data, "includes")
    usernames = {
        text_of(user.get("id")): text_of(user.get("username"))
        for user in includes.get("users") or []
        if isinstance(user, dict)
    }
    items = []
    for tweet in tweets:
        if not isinstance(tweet, dict):
            continue
        tweet_id = text_of(tweet.get("id"))
        if not tweet_id.isdigit():
            continue
        username = usernames.get(text_of(tweet.get("author_id")), "")
        url = (
            f"https://x.com/{username}/status/{tweet_id}"
            if username.replace("_", "").isalnum()
            else f"https://x.com/i/web/status/{tweet_id}"
        )
        metrics = dict_in(tweet, "public_metrics")
        items.append(
            CollectedItem(
                dedup_key=short_key("tweet", tweet_id),
                url=url,
                text=text_of(tweet.get("text")),
                author=username,
                language=text_of(tweet.get("lang")),
                published_at=parse_time(tweet.get("created_at")),
                raw={
                    "id": tweet_id,
                    "reposts": metrics.get("retweet_count"),
                    "likes": metrics.get("like_count"),
                },
                signal_count=1,
            )
        )
    return items
