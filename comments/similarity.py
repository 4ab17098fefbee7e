"""Which canned reply answers a reader's question: character n-gram TF-IDF and cosine similarity.

Character n-grams (3 to 5 letters inside word boundaries) survive typos, missing accents and the
small differences between "mes messages sont perdus" and "Est-ce que mes messages ont été
perdus ?", in French and English alike. Each canned reply is indexed through its typical question
and its other phrasings; a reply scores the best cosine of any of its phrasings.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from comments.moderation.text import fold

N_MIN, N_MAX = 3, 5
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    return _NON_ALNUM.sub(" ", fold(text)).strip()


def char_ngrams(text: str) -> Counter:
    grams: Counter = Counter()
    for word in normalise(text).split():
        padded = f" {word} "
        for n in range(N_MIN, N_MAX + 1):
            if len(padded) < n:
                continue
            grams.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True)
class Candidate:
    """What the index needs of a canned reply (kept hashable so the index can be cached)."""

    id: int
    language: str
    phrasings: tuple[str, ...]


class ReplyIndex:
    def __init__(self, candidates: tuple[Candidate, ...]):
        self.candidates = candidates
        documents = [(c, char_ngrams(p)) for c in candidates for p in c.phrasings if p.strip()]
        df: Counter = Counter()
        for _, grams in documents:
            df.update(grams.keys())
        total = len(documents)
        self.idf = {gram: math.log((1 + total) / (1 + count)) + 1 for gram, count in df.items()}
        # A gram no phrasing has is as informative as the rarest: it dilutes the query vector, so
        # a long comment that merely shares a few common grams scores low.
        self.unseen_idf = math.log(1 + total) + 1
        self.vectors = [(c, self._vector(grams)) for c, grams in documents]

    def _vector(self, grams: Counter) -> dict[str, float]:
        weights = {
            g: (1 + math.log(tf)) * self.idf.get(g, self.unseen_idf) for g, tf in grams.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}

    def scores(self, text: str, language: str = "") -> list[tuple[Candidate, float]]:
        query = self._vector(char_ngrams(text))
        best: dict[int, tuple[Candidate, float]] = {}
        languages = {c.language for c in self.candidates}
        for candidate, vector in self.vectors:
            if language in languages and candidate.language != language:
                continue
            small, large = (query, vector) if len(query) < len(vector) else (vector, query)
            score = sum(w * large.get(g, 0.0) for g, w in small.items())
            if candidate.id not in best or score > best[candidate.id][1]:
                best[candidate.id] = (candidate, score)
        return sorted(best.values(), key=lambda item: item[1], reverse=True)

    def best(self, text: str, language: str = "", minimum: float = 0.0):
        ranked = self.scores(text, language)
        if ranked and ranked[0][1] >= minimum:
            return ranked[0]
        return None


@lru_cache(maxsize=16)
def build_index(candidates: tuple[Candidate, ...]) -> ReplyIndex:
    return ReplyIndex(candidates)


def candidates_from(replies) -> tuple[Candidate, ...]:
    return tuple(
        Candidate(
            id=r.id,
            language=r.language,
            phrasings=(r.question, *[line for line in r.keywords.splitlines() if line.strip()]),
        )
        for r in replies
    )
