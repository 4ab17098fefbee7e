"""Akismet's comment-check, used when settings.AKISMET_API_KEY is set.

Every outbound request goes through outagedesk.lib.fetch.safe_fetch."""

import logging
from dataclasses import dataclass

from django.conf import settings

from comments.conf import setting
from outagedesk.lib.fetch import FetchError, safe_fetch

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AkismetVerdict:
    spam: bool | None  # None: Akismet could not answer
    discard: bool = False
    error: str = ""


def akismet_check(
    *,
    user_ip: str,
    user_agent: str,
    referrer: str,
    permalink: str,
    author: str,
    author_email: str,
    content: str,
    language: str,
) -> AkismetVerdict:
    key = settings.AKISMET_API_KEY
    data = {
        "blog": settings.SITE_URL,
        "user_ip": user_ip,
        "user_agent": user_agent[:500],
        "referrer": referrer[:500],
        "permalink": permalink,
        "comment_type": "comment",
        "comment_author": author,
        "comment_author_email": author_email,
        "comment_content": content,
        "blog_lang": language or "fr, en",
        "blog_charset": "UTF-8",
    }
    url = f"https://{key}.rest.akismet.com/1.1/comment-check"
    connect, read = setting("AKISMET_TIMEOUT")
    try:
        result = safe_fetch(url, method="POST", data=data, timeout=(connect, read))
        body = result.text().strip().lower()
    except FetchError as exc:
        logger.warning("Akismet check failed: %s", exc)
        return AkismetVerdict(spam=None, error=str(exc)[:200])
    except Exception as exc:  # an Akismet problem must never lose a reader's comment
        logger.exception("Akismet check crashed")
        return AkismetVerdict(spam=None, error=type(exc).__name__)
    if result.status != 200 or body not in ("true", "false"):
        # "invalid" means a bad key; anything else is a failure we must not read as ham.
        return AkismetVerdict(spam=None, error=f"HTTP {result.status}: {body[:100]}")
    discard = False
    headers = getattr(result, "headers", None) or {}
    if hasattr(headers, "get"):
        discard = (
            headers.get("X-akismet-pro-tip") or headers.get("x-akismet-pro-tip")
        ) == "discard"
    return AkismetVerdict(spam=body == "true", discard=discard)
