"""Guess the language of a text from its script and its commonest small words.

Used to judge prose (text_prose: function words in the page's language) and to report benchmark
figures per language. No model: a few dozen function words per language, which make up a large
share of any running text in that language and almost none of page furniture.
"""

from __future__ import annotations

import re

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(["the", "of", "and", "to", "a", "in", "that", "is", "was", "for", "on", "with", "as", "by", "at",
                     "it", "from", "he", "she", "they", "his", "her", "has", "have", "had", "be", "are", "were", "said",
                     "an", "this", "but", "not", "which", "who", "their", "will", "would"]),
    "de": frozenset(["der", "die", "das", "und", "in", "den", "von", "zu", "mit", "sich", "des", "auf", "für", "ist",
                     "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat",
                     "dass", "sie", "nach", "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem",
                     "über"]),
    "fr": frozenset(["le", "la", "les", "de", "des", "et", "un", "une", "du", "en", "est", "que", "qui", "dans", "pour",
                     "pas", "par", "sur", "au", "il", "elle", "a", "ont", "ce", "avec", "plus", "se", "sont", "aux",
                     "été", "son", "sa", "ses", "mais"]),
    "es": frozenset(["el", "la", "los", "las", "de", "del", "y", "en", "un", "una", "que", "es", "por", "con", "para",
                     "se", "su", "al", "lo", "como", "más", "pero", "sus", "ha", "fue", "son", "está", "este", "esta",
                     "han"]),
    "it": frozenset(["il", "lo", "la", "i", "gli", "le", "di", "del", "della", "e", "un", "una", "che", "è", "per",
                     "con", "non", "si", "da", "in", "al", "sono", "ha", "anche", "come", "più", "ma"]),
    "pt": frozenset(["o", "a", "os", "as", "de", "do", "da", "dos", "das", "e", "um", "uma", "que", "é", "em", "no",
                     "na", "para", "com", "não", "se", "por", "mais", "foi", "ao", "como", "mas", "seu", "sua"]),
    "nl": frozenset(["de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "zijn", "met", "voor", "niet",
                     "er", "aan", "ook", "als", "door", "maar", "om", "bij", "naar", "heeft"]),
    "ru": frozenset(["и", "в", "не", "на", "что", "с", "по", "как", "он", "она", "они", "это", "к", "из", "за", "от",
                     "для", "о", "его", "ее", "но", "было", "был", "была", "были", "также"]),
}
_WORD = re.compile(r"\w+")
_SCRIPTS = (("ja", re.compile(r"[\u3040-\u30ff]")), ("zh", re.compile(r"[\u4e00-\u9fff]")),
            ("ko", re.compile(r"[\uac00-\ud7af]")), ("ar", re.compile(r"[\u0600-\u06ff]")))


# A word, or a single Chinese or Japanese character: those scripts are written without spaces, so
# "\w+" would make a whole clause one word (and two versions of a sentence share none).
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]|[^\W\u3040-\u30ff\u3400-\u9fff]+")


def tokens(text: str) -> list[str]:
    """The words of ``text``, a character each in Chinese and Japanese."""
    return _TOKEN.findall(text)


def guess_language(text: str) -> str:
    """A two-letter code; "und" when nothing fits."""
    sample = text[:20_000]
    for code, script in _SCRIPTS:
        if len(script.findall(sample)) > 0.2 * max(len(sample), 1):
            return code
    words = [word.lower() for word in _WORD.findall(sample)]
    if not words:
        return "und"
    counts = {code: sum(1 for word in words if word in vocabulary) for code, vocabulary in FUNCTION_WORDS.items()}
    best = max(sorted(counts), key=lambda code: counts[code])
    return best if counts[best] >= 0.08 * len(words) else "und"


def function_word_share(text: str, language: str) -> float:
    """The share of ``text``'s words that are function words of ``language`` (0 for unknown ones)."""
    vocabulary = FUNCTION_WORDS.get(language)
    words = _WORD.findall(text.lower())
    if not vocabulary or not words:
        return 0.0
    return sum(1 for word in words if word in vocabulary) / len(words)
