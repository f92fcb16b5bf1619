"""How text becomes search terms, the same for what is indexed and for what people type, on every engine.

Text is folded (lower case, accents removed: `École` → `ecole`), cut into words, and each word is kept with its stem
in the text's own language (Snowball: `consultations` → `consult`, `wijken` → `wijk`). A query word is stemmed in
the three languages, so that it meets a text in any of them. Long Dutch words are also indexed by their endings, so
that a part of a compound finds the whole (`begroting` finds `burgerbegroting`).

Doing this before the engine sees the text keeps the behaviour identical on SQLite (FTS5), PostgreSQL and, should
a large deployment move to it, OpenSearch: the engine only matches and ranks words (docs/decisions/0014-search.md).
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

import snowballstemmer

STEMMERS = {"fr": "french", "nl": "dutch", "en": "english"}
WORD = re.compile(r"[a-z0-9]+")
# Words too common to narrow a search; a query made only of them keeps them.
_STOP_WORDS = {
    "fr": "a au aux avec ce ces d dans de des du en et l la le les leur n ou par pour qu que qui sa se ses son sur un",
    "nl": "aan als bij dat de den der die dit een en het hun in is met naar of om op te tot van voor zijn",
    "en": "an and are as at be by for from in is it of on or the to with",
}
STOP_WORDS = frozenset(word for words in _STOP_WORDS.values() for word in words.split())
COMPOUND_MIN_LENGTH = 9  # Dutch words of this length or more are also indexed by their endings …
COMPOUND_MIN_PART = 5  # … of at least five letters …
COMPOUND_MIN_HEAD = 4  # … after a head of at least four (`burger|begroting`, `wijk|budget`).
QUERY_MAX_WORDS = 12


# The accents of Latin letters, removed in one pass; other combining marks are looked for among what is left.
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_marks(match: re.Match[str]) -> str:
    return "".join(char for char in match.group() if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Lower case without accents or ligatures: `ÉCOLE`, `école` and `ecole` all give `ecole`."""
    decomposed = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    if not decomposed.isascii():
        decomposed = _NON_ASCII.sub(_without_marks, decomposed)
    return decomposed.replace("œ", "oe").replace("æ", "ae")


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """`fold` of one character, remembered: highlighting folds its texts character by character (to map the folded
    words back to the text), and a text has a few dozen distinct characters (6 ms a results page without it)."""
    return fold(char)


def words(text: str) -> list[str]:
    """The folded words of a text (elisions split off: `l'école` → `l`, `ecole`)."""
    return WORD.findall(fold(text))


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)


def compound_parts(word: str) -> list[str]:
    """The endings of a long Dutch word that may be words of their own."""
    if len(word) < COMPOUND_MIN_LENGTH:
        return []
    return [word[start:] for start in range(COMPOUND_MIN_HEAD, len(word) - COMPOUND_MIN_PART + 1)]


@lru_cache(maxsize=200_000)
def _word_terms(word: str, language: str) -> str:
    """A word followed by its stem in `language` when it differs."""
    stemmed = stem(word, language)
    return word if stemmed == word else f"{word} {stemmed}"


def _analysed(text_words: list[str], language: str) -> str:
    return " ".join([_word_terms(word, language) for word in text_words])


def _parts(text_words: Iterable[str], language: str) -> str:
    """The indexed endings of a Dutch text's long words (nothing for another language), with their stems."""
    if language != "nl":
        return ""
    parts = {part for word in text_words for part in compound_parts(word)}
    return " ".join(sorted(parts | {stem(part, "nl") for part in parts}))


def padded(terms: Iterable[str]) -> str:
    """Terms separated and surrounded by spaces, so that `LIKE '% term %'` finds a whole term."""
    return f" {' '.join(terms)} "


@lru_cache(maxsize=4096)
def _tags(tags: str) -> tuple[str, frozenset[str]]:
    """The analysed vocabulary labels and their words (the same few combinations of terms recur across items)."""
    tag_words = words(tags)
    return padded(dict.fromkeys(form for word in tag_words for form in word_forms(word))), frozenset(tag_words)


def dictionary_words(text_words: Iterable[str]) -> set[str]:
    """The words of a document that the dictionary of corrections keeps."""
    return {word for word in text_words if 3 <= len(word) <= 64 and not word.isdigit()}


def document_analysis(
    *, heading: str, summary: str, body: str, tags: str, language: str
) -> tuple[dict[str, str], set[str]]:
    """What a search document stores of its texts, analysed: what the full-text engine indexes (the terms of the
    heading, the summary, the vocabulary labels — in the three languages' forms, as labels come in the three
    languages at once — and the body with the endings of its long Dutch words), and what the ranking compares a
    query with in SQL (the heading's folded words in order, and the same without the words too common to count);
    with the words of all its texts, for the dictionary of corrections. Each text is folded once."""
    heading_words, summary_words, body_words = words(heading), words(summary), words(body)
    parts = _parts([*heading_words, *summary_words, *body_words], language)
    tag_terms, tag_words = _tags(tags)
    columns = {
        "heading_words": padded(heading_words),
        "heading_key": " ".join(word for word in heading_words if word not in STOP_WORDS),
        "heading_terms": padded(_analysed(heading_words, language).split()),
        "summary_terms": padded(_analysed(summary_words, language).split()),
        "tag_terms": tag_terms,
        "body_terms": f"{_analysed(body_words, language)} {parts}".strip(),
    }
    return columns, dictionary_words([*heading_words, *summary_words, *body_words, *tag_words])


def document_columns(*, heading: str, summary: str, body: str, tags: str, language: str) -> dict[str, str]:
    """The analysed columns of `document_analysis`."""
    return document_analysis(heading=heading, summary=summary, body=body, tags=tags, language=language)[0]


def query_words(query: str) -> list[str]:
    """The words of a query worth searching for, in order, without repeats."""
    found = list(dict.fromkeys(words(query)))[:QUERY_MAX_WORDS]
    meaningful = [word for word in found if word not in STOP_WORDS]
    return meaningful or found


def word_forms(word: str) -> list[str]:
    """A query word and its stems in the three languages: any of them matches."""
    return list(dict.fromkeys([word, *(stem(word, language) for language in STEMMERS)]))
