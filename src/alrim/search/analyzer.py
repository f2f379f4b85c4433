"""Korean text → search terms, with the Kiwi morphological analyser.

The same analysis runs on the catalog (when a service is indexed) and on a query, so a term
means the same thing on both sides. From each text it keeps:

* nouns, roots and foreign words (`청년`, `월세`, `k`), lower-cased;
* verb and adjective stems as lemmas (`닫을` → `닫다`, `낳으면` → `낳다`), minus grammatical
  verbs (하다, 되다, 있다 …);
* prefixes, suffixes and determiners glued to the noun they are written with
  (`소`+`상공인` → `소상공인`, `이용`+`권` → `이용권`, `한`+`부모` → `한부모`),
  beside the bare noun;
* ages written as a number and 세/살 (`65세`);
* **pairs**: every two nouns that follow each other, with or without a space between
  (`청년 월세` and `청년월세` both give `청년월세`), so a spacing error changes nothing and
  words written together count as a phrase;
* **compounds**: the whole of a word written without spaces (`국민취업지원제도`), for
  autocomplete and exact matches.

`name_ngrams` adds character bigrams of a service name (`#청년`, `#년월` …): the partial-word
index that matches a fragment however the analyser splits it.

Kiwi's model (the `kiwipiepy_model` wheel) is loaded once per process, on first use, and the
instance is shared by all threads: analysis only reads the model, and nothing here changes its
dictionary after construction.
"""

from __future__ import annotations

import itertools
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from alrim.search.hangul import is_hangul

if TYPE_CHECKING:  # pragma: no cover
    from kiwipiepy import Kiwi

# Bump when the terms produced for the same text change: a stored index built with another
# version is rebuilt (see alrim.store.search_repo.reconcile).
ANALYZER_RULES = 1
MAX_TERM_LENGTH = 30
MAX_COMPOUND_PARTS = 5
NGRAM_PREFIX = "#"

_NOUN_TAGS = frozenset({"NNG", "NNP", "XR"})
# Tags read as nouns when two syllables or longer: ordinals (셋째, 둘째) and words the analyser
# takes for interjections when they stand alone, as query words do (아이 → IC).
_NOUN_IF_LONG_TAGS = frozenset({"NR", "IC"})
# Particles, endings, symbols and derivational verb suffixes: not part of a word's stem.
_NOT_STEM_TAGS = ("J", "E", "SF", "SP", "SS", "SE", "SO", "SW", "XSV", "XSA", "VCP", "VX")
_AFFIX_TAGS = frozenset({"XPN", "XSN"})
_VERB_PREFIX = ("VV", "VA")
# One-syllable readings that usually mean a keyword was split wrongly.
_FRAGMENT_TAGS = frozenset({"NNB", "MM", "NR"})
_VERB_TAGS = frozenset({"VV", "VA", "VV-R", "VA-R", "VV-I", "VA-I"})
# Verbs that carry grammar rather than meaning in catalog prose.
_STOP_LEMMAS = frozenset(
    {
        "하다",
        "되다",
        "있다",
        "없다",
        "않다",
        "이다",
        "아니다",
        "같다",
        "위하다",
        "대하다",
        "통하다",
        "따르다",
        "의하다",
        "관하다",
        "말다",
        "보다",
        "주다",
        "오다",
        "가다",
    }
)
# Suffixes that are not worth a joined form (plural 들, honorific 님).
_PLAIN_SUFFIXES = frozenset({"들", "님", "씨"})
_AGE_UNITS = frozenset({"세", "살"})

_kiwi_lock = threading.Lock()
_kiwi: Kiwi | None = None


def kiwi() -> Kiwi:
    """The process-wide analyser, loaded (and warmed up) on first use."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                # The typo and multi-word (WikiData) dictionaries help prose, not keyword
                # search, and take most of the load time.
                instance = Kiwi(load_typo_dict=False, load_multi_dict=False)
                instance.tokenize("검색 준비")  # the model loads lazily; pay for it now
                _kiwi = instance
    return _kiwi


def analyzer_version() -> str:
    """Identifies the analysis: our rules plus the Kiwi release (its model changes splits)."""
    import kiwipiepy

    return f"rules{ANALYZER_RULES}-kiwi{kiwipiepy.__version__}"


def normalize(text: str) -> str:
    """NFKC (full-width letters, compatibility forms) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True, slots=True)
class Word:
    """One whitespace-delimited word of a query, with what the analyser made of it."""

    text: str  # as written (normalised)
    terms: tuple[str, ...]  # every term of the word (unigrams, joined forms, pairs, compounds)
    nominals: tuple[str, ...]  # the nouns and foreign words in it, as the analyser split them
    # The word without its particles and endings ("월세를" → 월세; "" without a noun in it).
    core: str
    # The analyser had to break it into one-syllable pieces ("청년월" → 청년 + 월/NNB): a sign
    # of a half-typed or mistyped word.
    fragmented: bool = False


@dataclass(frozen=True, slots=True)
class Analysis:
    words: tuple[Word, ...]
    terms: tuple[str, ...]  # every term with repeats (unigrams, joined forms, ages)
    pairs: tuple[str, ...]  # adjacent-noun pairs
    compounds: tuple[str, ...]  # words written as one, of three or more parts

    def all_terms(self) -> list[str]:
        return [*self.terms, *self.pairs, *self.compounds]


# A token of the analyser as plain data: (form, tag, start, end, lemma), `lemma` being the
# dictionary form of a verb ("잃었" → 잃다) and "" for other tags. Tuples rather than objects:
# indexing the whole catalog makes millions of them.
_Tok = tuple[str, str, int, int, str]
# A nominal unit of a run (a noun, a joined form, a foreign word or an age): (form, start, end).
_Item = tuple[str, int, int]


def analyze(text: str) -> Analysis:
    """Analyse a query: terms, pairs and compounds, and the same per written word.

    Each word is analysed on its own: queries are mostly lists of keywords, and a keyword
    should not be split differently because of its neighbour ("청년월세 아기" would otherwise
    read 월 세 아기, "three babies a month").
    """
    text = normalize(text)
    if not text.strip():
        return _EMPTY
    tokens = _word_by_word(text)
    terms, pairs, compounds = _extract(text, tokens)
    return Analysis(tuple(_words(text, tokens)), tuple(terms), tuple(pairs), tuple(compounds))


def field_terms(texts: Sequence[str], *, word_by_word: Sequence[bool] = ()) -> list[list[str]]:
    """The index terms of many texts (one service field each); see `iter_field_terms`."""
    return list(iter_field_terms(texts, word_by_word=word_by_word))


def iter_field_terms(
    texts: Sequence[str], *, word_by_word: Sequence[bool] = ()
) -> Iterator[list[str]]:
    """The index terms of each text (one service field each), in order, as they are ready.

    The texts go to Kiwi as one stream: its worker threads analyse the next texts while the
    caller works on the terms of earlier ones. Each distinct text is analysed once (a catalog
    repeats texts: the same agency and 분야 line, one programme's text in many 시군구), and its
    terms are kept only until its last repeat. Texts flagged in `word_by_word` (service names,
    which read like queries) are read a word at a time, like a query.
    """
    keys = [
        (normalize(t), i < len(word_by_word) and bool(word_by_word[i])) for i, t in enumerate(texts)
    ]
    left = Counter(keys)  # repeats still to come, per (text, word by word)
    distinct = [text for text, _ in left if text.strip()]  # in order of first occurrence
    readings: Iterator[Any] = iter(kiwi().tokenize(distinct) if distinct else ())
    kept: dict[tuple[str, bool], list[str]] = {}
    for key in keys:
        text, by_word = key
        if not text.strip():
            yield []
            continue
        terms = kept.pop(key, None)
        if terms is None:
            tokens = _toks(next(readings))
            if by_word:
                tokens = _reread_broken_words(text, tokens)
            found, pairs, compounds = _extract(text, tokens)
            terms = [*found, *pairs, *compounds]
        left[key] -= 1
        if left[key]:
            kept[key] = terms
            yield list(terms)
        else:
            yield terms


def _suspicious(tokens: Sequence[_Tok]) -> bool:
    """A split that reads a keyword as numbers and units ("월세" → 월/NNB 세/MM)."""
    return any(
        (tag in _FRAGMENT_TAGS and len(form) == 1) or tag == "IC" for form, tag, *_ in tokens
    )


def _word_by_word(text: str) -> list[_Tok]:
    """Tokens of `text`, each word read in context unless that reading looks broken."""
    return _reread_broken_words(text, _toks(kiwi().tokenize(text)))


def _reread_broken_words(text: str, context: Sequence[_Tok]) -> list[_Tok]:
    """The reading of `text` in context (`context`), with broken-looking words read alone.

    Context helps a phrase ("혼자 사는" is 살다 only in context; alone, 사는 reads as 四) and
    hurts a keyword list ("청년월세 아기" reads 월 세 아기, "three babies a month"). A word
    whose reading in context has one-syllable numerals, units or interjections, and whose
    reading alone has none, is taken alone.
    """
    tokens: list[_Tok] = []
    pos = 0
    k = 0
    for part in text.split():
        begin = text.index(part, pos)
        end = pos = begin + len(part)
        in_context: list[_Tok] = []
        while k < len(context) and context[k][2] < end:
            if context[k][2] >= begin:
                in_context.append(context[k])
            k += 1
        chosen = in_context
        if len(part) >= 2 and _suspicious(in_context):
            alone = _toks(kiwi().tokenize(part), begin)
            if not _suspicious(alone):
                chosen = alone
        tokens.extend(chosen)
    return tokens


def name_ngrams(name: str) -> list[str]:
    """Character bigrams of a name's letters and digits, marked with NGRAM_PREFIX."""
    return [NGRAM_PREFIX + g for g in bigrams(name)]


def bigrams(text: str) -> list[str]:
    """Overlapping two-character pieces of the letters and digits of `text` (spaces dropped)."""
    squeezed = compact(text)
    return [squeezed[i : i + 2] for i in range(len(squeezed) - 1)]


def compact(text: str) -> str:
    """A word without spaces or punctuation, as a vocabulary key ("청년 월세" → "청년월세")."""
    return "".join(ch for ch in normalize(text) if ch.isalnum())


_EMPTY = Analysis((), (), (), ())


def _toks(raw_tokens: Iterable[Any], offset: int = 0) -> list[_Tok]:
    """Kiwi's tokens as `_Tok` tuples, positions shifted by `offset`."""
    out: list[_Tok] = []
    for t in raw_tokens:
        tag: str = t.tag
        start: int = t.start + offset
        out.append((t.form, tag, start, start + t.len, _lemma(t) if tag in _VERB_TAGS else ""))
    return out


def _lemma(token: Any) -> str:
    """The dictionary form of a verb ("잃었" → 잃다, "어려운" → 어렵다); the form otherwise."""
    lemma = getattr(token, "lemma", None)
    if isinstance(lemma, str) and lemma:
        return lemma
    return token.form + "다" if str(token.tag).startswith(("VV", "VA")) else token.form


def _is_nominal(form: str, tag: str) -> bool:
    if tag in _NOUN_TAGS:
        return True
    if tag == "SL":
        return form.isalpha()
    return tag in _NOUN_IF_LONG_TAGS and len(form) >= 2


def _fits(term: str) -> bool:
    return 0 < len(term) <= MAX_TERM_LENGTH


def _joins(text: str, end: int, start: int) -> bool:
    """Two nominal items belong to one run: adjacent, or separated by spaces only."""
    if end == start:
        return True
    gap = text[end:start]
    return gap != "" and all(ch.isspace() or ch == "-" for ch in gap)


def _close_run(run: list[_Item], pairs: list[str], compounds: list[str]) -> None:
    """The pairs and compounds of a run of nominal items; empties the run."""
    if len(run) < 2:  # no pair, no compound
        run.clear()
        return
    for (a, _, _), (b, _, _) in itertools.pairwise(run):
        if _fits(a + b):
            pairs.append(a + b)
    chunk: list[_Item] = []  # items written without a space between them
    for item in [*run, None]:
        if item is not None and (not chunk or item[1] == chunk[-1][2]):
            chunk.append(item)
            continue
        if 3 <= len(chunk) <= MAX_COMPOUND_PARTS:
            whole = "".join(form for form, _, _ in chunk)
            if _fits(whole):
                compounds.append(whole)
        chunk = [item] if item is not None else []
    run.clear()


def _extract(text: str, tokens: Sequence[_Tok]) -> tuple[list[str], list[str], list[str]]:
    """Terms, pairs and compounds of a token sequence (see the module docstring)."""
    terms: list[str] = []
    pairs: list[str] = []
    compounds: list[str] = []
    run: list[_Item] = []

    pending: _Tok | None = None  # an XPN or MM waiting for the noun written right after it
    last = len(tokens) - 1
    for i, (form, tag, start, end, lemma) in enumerate(tokens):
        nxt = tokens[i + 1] if i < last else None
        prefix, pending = pending, None
        if _is_nominal(form, tag):
            form = form.lower()
            if not _fits(form):
                _close_run(run, pairs, compounds)
                continue
            terms.append(form)
            item: _Item = (form, start, end)
            if prefix is not None and prefix[3] == start and _fits(prefix[0] + form):
                item = (prefix[0] + form, prefix[2], end)
                terms.append(item[0])
            if (
                nxt is not None
                and nxt[1] == "XSN"
                and nxt[2] == end
                and nxt[0] not in _PLAIN_SUFFIXES
                and _fits(item[0] + nxt[0])
            ):
                item = (item[0] + nxt[0], item[1], nxt[3])
                terms.append(item[0])
            if run and not _joins(text, run[-1][2], item[1]):
                _close_run(run, pairs, compounds)
            run.append(item)
        elif tag == "XSN":
            continue  # glued to the noun before it, above; does not break a run
        elif tag in ("XPN", "MM"):
            if tag == "MM":
                _close_run(run, pairs, compounds)
            pending = (form, tag, start, end, lemma)
        elif tag == "SN":
            if nxt is not None and nxt[1] == "NNB" and nxt[0] in _AGE_UNITS and nxt[2] == end:
                age: _Item = (form + nxt[0], start, nxt[3])
                terms.append(age[0])
                if run and not _joins(text, run[-1][2], start):
                    _close_run(run, pairs, compounds)
                run.append(age)
                continue
            _close_run(run, pairs, compounds)
        elif tag == "NNB" and form in _AGE_UNITS:
            continue  # the unit of an age, joined above
        elif tag in _VERB_TAGS:
            if lemma not in _STOP_LEMMAS and all(is_hangul(ch) for ch in lemma):
                terms.append(lemma)
            _close_run(run, pairs, compounds)
        elif tag == "SO" and form == "-":
            continue  # "K-패스": a hyphen inside a word joins, it does not separate
        else:
            _close_run(run, pairs, compounds)
    _close_run(run, pairs, compounds)
    return terms, pairs, compounds


def _words(text: str, tokens: Sequence[_Tok]) -> list[Word]:
    """The analysis regrouped by the whitespace-delimited words of the text."""
    words: list[Word] = []
    pos = 0
    k = 0
    for part in text.split():
        begin = text.index(part, pos)
        end = pos = begin + len(part)
        own: list[_Tok] = []
        while k < len(tokens) and tokens[k][2] < end:
            if tokens[k][2] >= begin:
                own.append(tokens[k])
            k += 1
        terms, pairs, compounds = _extract(text, own)
        nominal = [t for t in own if _is_nominal(t[0], t[1])]
        stem = [t for t in own if not t[1].startswith(_NOT_STEM_TAGS)]
        core = ""
        if nominal and stem:
            core = text[max(stem[0][2], begin) : min(stem[-1][3], end)]
        fragmented = any(
            len(form) == 1 and tag not in _AFFIX_TAGS and not tag.startswith(_VERB_PREFIX)
            for form, tag, *_ in stem
        )
        words.append(
            Word(
                part,
                tuple([*terms, *pairs, *compounds]),
                tuple(t[0].lower() for t in nominal),
                core,
                fragmented,
            )
        )
    return words
