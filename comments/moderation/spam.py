"""A spam score between 0 and 1 from simple signals, each one named in the reasons."""

import re
from dataclasses import dataclass, field

from comments.moderation.text import extract_links, fold, link_host


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


SHORTENERS = _word_set(
    "bit.ly tinyurl.com t.co goo.gl ow.ly is.gd buff.ly cutt.ly rebrand.ly shorturl.at "
    "tiny.cc rb.gy t.ly s.id v.gd lnkd.in bl.ink short.io wa.me t.me "
)
# Folded (no accents, lower case); matched on word boundaries.
SPAM_PHRASES = (
    "bitcoin", "crypto", "cryptomonnaie", "forex", "casino", "viagra", "cialis", "loan",
    "pret rapide", "investissement", "investment", "trading", "gagner de l'argent",
    "gagnez", "earn money", "make money", "work from home", "travail a domicile",
    "whatsapp gold", "whatsapp plus", "gb whatsapp", "gbwhatsapp", "click here",
    "cliquez ici", "free followers", "abonnes gratuits", "promo code", "code promo",
    "dm me", "ecrivez-moi", "contactez-moi", "contact me on", "hire a hacker", "recover your account",
    "recuperer votre compte", "100% free", "100% gratuit", "guaranteed", "garanti",
)  # fmt: skip
_PHRASE_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in SPAM_PHRASES) + r")(?!\w)")
_PHONE_RE = re.compile(r"(?:\+|00)?\d[\d .\-()]{7,}\d")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PUNCT_RUN_RE = re.compile(r"([!?$€💰🔥])\1{3,}")


@dataclass
class SpamScore:
    score: float = 0.0
    signals: list[str] = field(default_factory=list)

    def add(self, weight: float, signal: str) -> None:
        self.score = min(1.0, round(self.score + weight, 3))
        self.signals.append(signal)


def spam_score(
    *, name: str, text: str, fill_seconds: float | None, min_fill_seconds: float,
    trusted_hosts: frozenset[str] = frozenset(),
) -> SpamScore:  # fmt: skip
    result = SpamScore()
    folded = fold(text)
    links = [link for link in extract_links(text) if link_host(link) not in trusted_hosts]
    if links:
        result.add(min(0.4, 0.2 * len(links)), f"links:{len(links)}")
    if any(link_host(link) in SHORTENERS for link in links):
        result.add(0.3, "shortener")
    phrases = sorted(set(_PHRASE_RE.findall(folded)))
    if phrases:
        result.add(min(0.5, 0.25 * len(phrases)), "phrases:" + ", ".join(phrases))
    if _PHONE_RE.search(text):
        result.add(0.2, "phone")
    if _EMAIL_RE.search(text):
        result.add(0.2, "email")
    if extract_links(name) or _EMAIL_RE.search(name):
        result.add(0.4, "link_in_name")
    link_chars = sum(len(link) for link in links)
    if links and link_chars > 0.6 * len(text.strip()):
        result.add(0.2, "mostly_links")
    if _PUNCT_RUN_RE.search(text):
        result.add(0.1, "punctuation")
    if fill_seconds is not None and min_fill_seconds and fill_seconds < 2 * min_fill_seconds:
        result.add(0.1, "fast")
    return result
