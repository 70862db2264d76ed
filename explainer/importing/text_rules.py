"""Generic, outlet-independent rules that recognise one line of page furniture.

Each rule has a name (shown by ``--dry-run`` next to every line it removed), a pattern searched in
the whitespace-normalised line (ignoring case), a maximum line length (fuzzy rules such as
"newsletter" must never take a real paragraph that merely mentions a newsletter) and an action:
``drop`` removes the line, ``credit`` moves it to the article's ``credits``.
The tuples below are immutable module constants, never filled at run time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DROP = "drop"
CREDIT = "credit"


@dataclass(frozen=True)
class LineRule:
    name: str
    pattern: re.Pattern[str]
    action: str = DROP
    max_len: int = 10_000


def _rule(name: str, pattern: str, action: str = DROP, max_len: int = 10_000) -> LineRule:
    return LineRule(name, re.compile(pattern, re.IGNORECASE), action, max_len)


# Single words and short phrases that only ever label buttons, menus and widgets.
_NAV_WORDS = (
    "gotop|go to top|back to top|top|quote|placeholder|share|shares|share this|share this article|share via|"
    "share permalink|share this story|print|print this|close|open|menu|search|toggle navigation|skip to content|"
    "skip to main content|skip to navigation|next|previous|prev|more|home|sign in|log in|login|logout|register|"
    "subscribe|subscribe now|comments|comment|email|e-mail|facebook|twitter|whatsapp|linkedin|pinterest|reddit|"
    "messenger|flipboard|telegram|copy|copy link|copy this link|tweet|loading|loading\\.\\.\\.|enlarge image|"
    "expand|collapse|view all|show more|see more|load more|x|advertisement|advertising|sponsored|ad|"
    "sponsored content|promoted|listen|listen to this article|play|pause|video|audio|photos|gallery|"
    "related|related articles|related stories|related news|related content|recommended|most read|most popular|"
    "most viewed|trending|topics|tags|filed under|follow us|follow|like|reply|report|cancel|submit|ok|okay|"
    "accept|accept all|reject all|got it|i agree|manage preferences|cookie settings|privacy policy|"
    "terms of use|terms of service|contact us|about us|site index|feedback"
)

# Labels that open a block of page furniture after the story (teaser lists, comment threads),
# in the languages we meet; text_story does not let the story run across them.
SECTION_LABEL = re.compile(
    r"^(?:more from\b|more in\b|read next|related (?:articles|stories|news|content)|comments?\s*(?:\(\d+\)|\d+)?$|"
    r"\d+\s+comments?$|reader comments|join the (?:discussion|conversation)|leave a (?:comment|reply)|"
    r"load more comments|sort by\b|das könnte sie auch interessieren|mehr zum thema|weitere artikel|kommentare\b|"
    r"te puede interesar|también te puede interesar|más noticias|comentarios\b|à lire aussi|lire aussi|"
    r"sur le même sujet|commentaires\b|leggi anche|potrebbe interessarti|читайте также|по теме\b|комментарии\b|"
    r"関連記事|関連ニュース|コメント|アクセスランキング|相关新闻|相关阅读|延伸阅读|推荐阅读|热门推荐|网友评论|评论\b|"
    r"相關新聞|相關報導|延伸閱讀|推薦閱讀|熱門新聞|관련\s?기사|댓글|많이 본 뉴스)",
    re.IGNORECASE,
)
FEEDBACK_LINE = re.compile(r"^(?:reply|like|likes|dislike|report|antworten|responder|répondre|rispondi|ответить|"
                           r"返信|いいね|回复|回覆|点赞|按讚|举报|답글|좋아요)\b.{0,12}$", re.IGNORECASE)

# Chinese outlets close the story with its editor (【责任编辑：王芳】, （編輯：林淑媛）1140520): the story
# never runs across it (text_story.boundary_kind).
EDITOR_LINE = re.compile(r"^[【（(\[]?\s*(?:责任编辑|責任編輯|编辑|編輯|校对|校對)\s*[：:].{0,30}$")

GENERIC_RULES: tuple[LineRule, ...] = (
    _rule("navigation", rf"^(?:{_NAV_WORDS})[\s:.!»›>|]*$"),
    _rule("navigation", r"^[\W\d_]{0,12}$"),  # counters, bullets, separators: "6", "|", "0 : 0"
    _rule("navigation", r"^\d+\s+comments?(\s*\(\+\))?$"),
    _rule("disclaimer", r"^(?:disclaimer|haftungsausschluss|aviso legal|avertissement|avviso legale|"
                        r"exención de responsabilidad|clause de non-responsabilité|免責事項)\b"),
    _rule("call-to-action",
          r"\b(?:register|sign up|subscribe|join us|download(?: the app)?|learn more|read more|click here|buy now|"
          r"try it(?: free)?|get started|get it|shop now|book now|apply now|donate)(?: now| today| free| here)?\W*$",
          max_len=300),
    _rule("call-to-action", r"^(?:click|tap) here\b", max_len=200),
    _rule("read-more",
          r"^(?:read more|read also|also read|see also|more:|more on:|related:|recommended:|continue reading|"
          r"read the full|read next|watch:|listen:|watch now|more from|lire aussi|à lire aussi|voir aussi|"
          r"lesen sie auch|mehr zum thema|lee también|lea también|leer más|leggi anche|читайте также|"
          r"смотрите также)\b", max_len=200),
    _rule("read-more", r"^(?:most read|most popular|most viewed|most shared|trending|recommended|related|"
                       r"more stories|more news|you may also like|you might also like|don't miss)\b", max_len=60),
    _rule("social-follow", r"^follow (?:us|our|the|me)\b.*\b(?:facebook|twitter|instagram|youtube|social)\b",
          max_len=200),
    _rule("share-buttons", r"^(?:share|tweet|pin|post|send|email) (?:this|on|to|via|with)\b", max_len=60),
    _rule("newsletter",
          r"\b(?:newsletter|sign up for|in your inbox|enter your e-?mail|your e-?mail address|subscribe to)\b",
          max_len=160),
    _rule("cookie-notice",
          r"\bcookies?\b.*\b(?:use|uses|accept|policy|consent|settings|preferences|browsing|experience)\b",
          max_len=500),
    _rule("cookie-notice", r"\b(?:we|this site|this website) uses? cookies\b", max_len=800),
    _rule("cookie-notice", r"\bcookies?\b.*\b(?:akzeptieren|einwilligung|zustimm\w*|datenschutz\w*|aceptar|acepta|"
                           r"consentimiento|accepter|consentement|acconsenti\w*|toestemming)\b", max_len=800),
    _rule("promo", r"^(?:sponsored|advertisement|promoted|partner content|paid content)\b", max_len=80),
    _rule("reading-time", r"^\d+\s*min(?:ute)?s?\.?\s+read$"),
    _rule("reading-time", r"^(?:temps de lecture|lesezeit|tiempo de lectura|tempo di lettura)\s*:?\s*\d+\s*min",
          max_len=40),
    _rule("editor-credit", EDITOR_LINE.pattern, max_len=40),
    _rule("agency-credit", r"^(?:\(?reporting|additional reporting|writing|editing|edited|compiled) by\b",
          max_len=400),
    _rule("caption", r"^(?:file )?(?:photo|picture|image|photograph)\s*:", CREDIT, max_len=400),
    _rule("caption", r"^(?:image|photo|media) (?:copyright|caption|credit|source)", CREDIT, max_len=400),
    _rule("caption",
          r"\b(?:credit|credits|photo|photograph|image|picture|source)\s*(?::|\.\.\.|…)\s*\S[^.!?]{0,80}$",
          CREDIT, max_len=400),
    _rule("caption", r"\[(?:file|photo|image|picture)\s*:[^\]]*\]$", CREDIT, max_len=400),
    _rule("caption", r"\((?:photo|image|picture|photograph)(?: by|:)[^)]*\)$", CREDIT, max_len=400),
)

# A caption label whose *next* line is the credit or the caption itself (BBC's flattened pages).
CAPTION_LABEL = re.compile(r"^(?:image|photo|media) (?:copyright|caption|credit|source)$", re.IGNORECASE)

# "By X" and its German, French, Spanish, Italian forms; "澎湃新闻记者 张伟"; "김지은 기자". The name is
# the group named "name".
BYLINE = re.compile(
    r"^(?:[Bb][Yy]|Von|von|Par|par|Por|por|Di):?\s+"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:[\s,]+(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*|de|van|von|da|di|le|la|and|und|et|y|&)){0,12})$"
    r"|^[\u4e00-\u9fff]{0,8}(?:记者|記者)\s*(?P<cjk>[\u4e00-\u9fff]{2,4})$"
    r"|^(?P<ko>[\uac00-\ud7af]{2,4})\s*기자$"
)


def byline_name(found: re.Match[str]) -> str:
    """The author's name in a BYLINE match."""
    return (found.group("name") or found.group("cjk") or found.group("ko") or "").strip()
SOURCE_LINE = re.compile(r"^source:?\s+([A-Z][^\d.!?:]{1,60})$", re.IGNORECASE)
TEASER_AUTHOR = re.compile(r"^author:?\s+\S.{0,60}$", re.IGNORECASE)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Month names of the languages the importer meets, as written in datelines (French, German, Spanish,
# Italian, Portuguese, Dutch, Russian in the genitive); English ones by their first three letters.
_FOREIGN_MONTHS = {
    name: number for number, names in enumerate((
        "janvier januar enero gennaio janeiro januari января",
        "février februar febrero febbraio fevereiro februari февраля",
        "mars märz marzo março maart марта",
        "avril abril aprile апреля",
        "mai mayo maggio maio mei мая",
        "juin juni junio giugno junho июня",
        "juillet juli julio luglio julho июля",
        "août agosto augustus августа",
        "septembre septiembre settembre setembro сентября",
        "octobre oktober octubre ottobre outubro октября",
        "novembre noviembre novembro ноября",
        "décembre dezember diciembre dicembre dezembro december декабря",
    ), 1) for name in names.split()
}
_MONTH = (r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
          + "|".join(sorted(_FOREIGN_MONTHS, key=len, reverse=True)) + r")[a-z]*\.?")
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    # 2025年8月28日, 2025년 6월 12일 (a character, not a space, ends the number: no \b)
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]"),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})\.?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE),
)
_TIME_WORDS = re.compile(
    r"\b(?:\d{1,2}\s*:\s*\d\d(?:\s*[ap]\.?m\.?)?|[ap]\.?m\.?|gmt|utc|ist|est|edt|cet|bst|pst|pdt|updated|"
    r"published|posted|last|first|on|at|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|yesterday|today|ago|hours?|minutes?|mins?|days?|weeks?|\d+|"
    r"\d{1,2}h\d\d|publié|mis à jour|le|à|veröffentlicht|aktualisiert|am|um|uhr|publicado|actualizado|el|a las|"
    r"pubblicato|aggiornato|alle|обновлено|송고시간|입력|수정|更新|発表|\d+時\d+分)\b",
    re.IGNORECASE,
)
RELATIVE_TIME = re.compile(
    r"^(?:\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago|yesterday\b.*|today\b.*|"
    r"just now|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|"
    # vor 2 Stunden, il y a 2 heures, hace 2 horas, 2 ore fa, 2 часа назад, 3小时前, 2時間前, 2시간 전
    r"vor \d+ \w+|il y a \d+ \w+|hace \d+ \w+|\d+ (?:ore|minuti|giorni) fa|\d+ \w+ назад|"
    r"\d+\s*(?:分钟|分鐘|小时|小時|天|分|時間|日)前|\d+\s*(?:분|시간|일)\s*전)$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’»)\]。！？」』]$")
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def apply_rules(text: str) -> LineRule | None:
    """The first generic rule that claims this line, if any."""
    for rule in GENERIC_RULES:
        if len(text) <= rule.max_len and rule.pattern.search(text):
            return rule
    return None


def find_date(text: str) -> str:
    """The first calendar date written in ``text``, as YYYY-MM-DD, or ""."""
    for pattern in _DATE_PATTERNS:
        for found in pattern.finditer(text):
            iso = _to_iso(found)
            if iso:
                return iso
    return ""


# "中央社記者陳怡君台北20日電", "新华社北京4月18日电": a Chinese agency's dateline ("telegraphed on the 20th").
_CJK_DATELINE = re.compile(r"\d{1,2}日[电電]$")


def is_date_line(text: str) -> bool:
    """A short line that holds nothing but a date, a time and words like "Updated"."""
    if len(text) > 80:
        return False
    if RELATIVE_TIME.match(text) or _CJK_DATELINE.search(text):
        return True
    if not find_date(text):
        return False
    rest = text
    for pattern in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    return len(_WORD.findall(_TIME_WORDS.sub(" ", rest))) <= 2


def word_count(text: str) -> int:
    """Words; in Chinese, Japanese and Korean, which are written without spaces, two characters
    count as one word, about the information a word carries in a European language."""
    cjk = len(_CJK.findall(text))
    if not cjk:
        return len(_WORD.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + (cjk + 1) // 2


def visual_length(text: str) -> int:
    """Characters, a CJK character counting as three: the length rules were set on European text,
    and the same news in English takes about three times as many characters as in Chinese or
    Japanese (a 35-character Japanese sentence is a full paragraph, not a label)."""
    return len(text) + 2 * len(_CJK.findall(text))


def starts_like_heading(text: str) -> bool:
    """A capital or a digit first, or a letter of a script without case (Chinese, Japanese,
    Korean, Arabic...), or an opening quotation mark or bracket."""
    first = text[:1]
    return bool(first) and (first.isupper() or first.isdigit() or first in "\"“‘'「【«„"
                            or first.isalpha() and not first.islower())


def ends_like_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def _to_iso(found: re.Match[str]) -> str:
    groups = found.groupdict()
    name = (groups.get("mon") or "").lower()
    month = int(groups["m"]) if groups.get("m") else _FOREIGN_MONTHS.get(name) or _MONTHS.get(name[:3], 0)
    try:
        return dt.date(int(groups["y"]), month, int(groups["d"])).isoformat()
    except ValueError:
        return ""
