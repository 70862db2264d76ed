"""UN document symbols: the grammar in explainer/unsymbols.py on real symbols, and their links."""

from __future__ import annotations

import pytest

from explainer.unsymbols import find_symbols, is_symbol, library_url

SEARCH = "https://digitallibrary.un.org/search?ln=en&p="

# Real symbols of each form, with the query each must give (the library's phrase search).
REAL = [
    ("S/RES/2774 (2025)", "%22S%2FRES%2F2774%20%282025%29%22"),       # Ukraine, US draft
    ("S/RES/242 (1967)", "%22S%2FRES%2F242%20%281967%29%22"),         # older resolution
    ("S/RES/242(1967)", "%22S%2FRES%2F242%20%281967%29%22"),          # written without the space
    ("S/RES/1373 (2001)", "%22S%2FRES%2F1373%20%282001%29%22"),
    ("S/2025/112", "%22S%2F2025%2F112%22"),                           # the draft of 2774
    ("S/23500", "%22S%2F23500%22"),                                   # pre-1994 numbering
    ("S/PRST/2025/1", "%22S%2FPRST%2F2025%2F1%22"),
    ("S/PV.9866", "%22S%2FPV.9866%22"),                               # the 24 February 2025 meeting
    ("S/PV.7138 (Resumption 1)", "%22S%2FPV.7138%20%28Resumption%201%29%22"),
    ("A/RES/ES-11/7", "%22A%2FRES%2FES-11%2F7%22"),                   # emergency special session
    ("A/RES/ES-11/8", "%22A%2FRES%2FES-11%2F8%22"),
    ("A/RES/ES-11/1", "%22A%2FRES%2FES-11%2F1%22"),
    ("A/RES/78/220", "%22A%2FRES%2F78%2F220%22"),
    ("A/RES/80/4", "%22A%2FRES%2F80%2F4%22"),
    ("A/RES/S-27/2", "%22A%2FRES%2FS-27%2F2%22"),                     # special session
    ("A/RES/3379 (XXX)", "%22A%2FRES%2F3379%20%28XXX%29%22"),         # Roman-numeral session
    ("A/RES/181(II)", "%22A%2FRES%2F181%20%28II%29%22"),
    ("A/RES/1514 (XV)", "%22A%2FRES%2F1514%20%28XV%29%22"),
    ("A/DEC/77/551", "%22A%2FDEC%2F77%2F551%22"),
    ("A/ES-11/L.10", "%22A%2FES-11%2FL.10%22"),                       # draft of ES-11/7
    ("A/ES-11/L.11", "%22A%2FES-11%2FL.11%22"),
    ("A/80/L.6", "%22A%2F80%2FL.6%22"),
    ("A/C.3/78/L.41", "%22A%2FC.3%2F78%2FL.41%22"),                   # Third Committee draft
    ("A/C.3/78/L.41/Rev.1", "%22A%2FC.3%2F78%2FL.41%2FRev.1%22"),
    ("A/ES-11/PV.15", "%22A%2FES-11%2FPV.15%22"),
    ("A/78/PV.50", "%22A%2F78%2FPV.50%22"),
    ("A/78/481/Add.3", "%22A%2F78%2F481%2FAdd.3%22"),
    ("A/78/251", "%22A%2F78%2F251%22"),
    ("A/ES-11/L.10/Rev.1/Corr.1", "%22A%2FES-11%2FL.10%2FRev.1%2FCorr.1%22"),
]


@pytest.mark.parametrize(("symbol", "query"), REAL)
def test_real_symbols_are_recognised_and_linked(symbol: str, query: str) -> None:
    assert is_symbol(symbol)
    assert library_url(symbol) == SEARCH + query


@pytest.mark.parametrize("text", [
    "S/RES/2774", "A/RES", "S/", "A/B/C", "E/2025/1", "ST/SGB/2019/8", "XS/2025/112", "S/2025/112.5",
    "A/RES/78/220/", "and/or", "24/7", "S/PV", "A/78/L", "http://x.org/S/2025/1",
])
def test_other_text_is_not_a_symbol(text: str) -> None:
    assert [symbol for _, _, symbol in find_symbols(text)] == []


def test_symbols_are_found_in_prose_with_punctuation_around_them() -> None:
    text = ("Adopted as S/RES/2774 (2025), after S/PV.9866; the Assembly's A/RES/ES-11/7. "
            "(see A/ES-11/L.10/Rev.1) and \u201cA/RES/ES-11/8\u201d")
    assert [symbol for _, _, symbol in find_symbols(text)] == [
        "S/RES/2774 (2025)", "S/PV.9866", "A/RES/ES-11/7", "A/ES-11/L.10/Rev.1", "A/RES/ES-11/8"]
