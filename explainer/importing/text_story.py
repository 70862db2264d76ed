"""Find the story in plain text: the raw scrape of one article, or a whole page flattened to text.

Steps, each a small function below:

1. rules: profile ``end``/``drop``/``captions``, then the generic line rules (text_rules), then
   related-article teaser cards (a line "Author X" next to a relative time);
2. region: the story is the longest run of prose lines (long lines that end like sentences) whose
   gaps hold at most a few non-prose lines; everything before it is the header (where the title,
   byline, date and "Source X" line are read) and everything after it is page furniture;
3. shape: inside the region, lines that end like sentences are paragraphs; a short line without end
   punctuation standing alone between paragraphs is a ``##`` sub-heading; other short lines
   (link lists, widget labels) are removed as fragments.

Every removed line is recorded with its rule, for ``--dry-run``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .language import function_word_share, guess_language
from .text_decode import normalise_space
from .text_profiles import Profile
from .text_rules import (
    BYLINE,
    CAPTION_LABEL,
    CREDIT,
    EDITOR_LINE,
    FEEDBACK_LINE,
    RELATIVE_TIME,
    SECTION_LABEL,
    SOURCE_LINE,
    TEASER_AUTHOR,
    apply_rules,
    byline_name,
    ends_like_sentence,
    find_date,
    is_date_line,
    starts_like_heading,
    visual_length,
    word_count,
)
from .text_types import Block, Line, Removal, Story

ANCHOR_MIN_CHARS = 80      # a prose line that can anchor the story region
ANCHOR_ANY_CHARS = 250     # so long that it is prose even without end punctuation
MAX_GAP_LINES = 6          # non-prose lines tolerated between two anchors of one run
JOIN_GAP_LINES = 20        # a larger gap is bridged only towards a run at least JOIN_SHARE as big
JOIN_SHARE = 0.2
HARD, LABEL = "hard", "label"
RELAXED_MIN_CHARS = 40     # when no line reaches ANCHOR_MIN_CHARS: short stories, terse languages
RELAXED_ANY_CHARS = 120
# Prose quality: a run whose share of function words is below PROSE_SHARE_FLOOR times the
# language's typical share (headline lists, link text) counts for less; see _quality.
TYPICAL_FUNCTION_SHARE = 0.35
PROSE_SHARE_FLOOR = 0.6
AFTER_LABEL_WEIGHT = 0.5
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 15
TITLE_LOOKBACK = 30


class NoStory(Exception):
    """No prose paragraphs were found: the input is not an article."""


@dataclass(frozen=True)
class _Region:
    start: int
    end: int  # inclusive
    chars: int
    anchors: int = 1


def split_lines(text: str) -> list[Line]:
    """Non-empty lines with normalised spaces and their 1-based line numbers."""
    return [Line(no, clean) for no, raw in enumerate(text.splitlines(), 1) if (clean := normalise_space(raw))]


def clean_text(text: str, profile: Profile | None) -> Story:
    """Run the three steps of the module docstring; raise NoStory when nothing looks like prose."""
    story = Story()
    all_lines = split_lines(text)
    boundaries = {line.no: kind for line in all_lines if (kind := boundary_kind(line.text))}
    lines = _apply_profile_end(all_lines, profile, story)
    lines = _apply_line_rules(lines, profile, story)
    lines = _remove_teaser_cards(lines, story)
    region = _find_region(lines, boundaries)
    _read_header(lines[: region.start], lines[region.start: region.end + 1], story)
    _drop(lines[region.end + 1:], "outside-story", story)
    story.blocks = _shape_body(lines[region.start: region.end + 1], story)
    story.removed.sort(key=lambda removal: removal.no)
    return story


def _drop(lines: list[Line], rule: str, story: Story) -> None:
    story.removed.extend(Removal(line.no, line.text, rule) for line in lines)


def _credit(line: Line, rule: str, story: Story) -> None:
    story.credits.append(line.text)
    story.removed.append(Removal(line.no, line.text, f"{rule} (to credits)"))


def _apply_profile_end(lines: list[Line], profile: Profile | None, story: Story) -> list[Line]:
    """Cut at the first line matching a profile ``end`` pattern ("everything from here on is junk")."""
    if profile is None or not profile.end:
        return lines
    for index, line in enumerate(lines):
        if any(pattern.search(line.text) for pattern in profile.end):
            _drop(lines[index:], f"profile:{profile.key}:end", story)
            return lines[:index]
    return lines


def _apply_line_rules(lines: list[Line], profile: Profile | None, story: Story) -> list[Line]:
    """Profile rules first (an editor's word beats a heuristic), then the generic ones."""
    kept: list[Line] = []
    after_label = False
    for line in lines:
        rule, action = _rule_for(line.text, profile)
        if after_label and action != "drop":
            rule, action = "caption", CREDIT
        after_label = CAPTION_LABEL.match(line.text) is not None
        if after_label:
            story.removed.append(Removal(line.no, line.text, "caption-label"))
        elif rule is None:
            kept.append(line)
        elif action == CREDIT:
            _credit(line, rule, story)
        else:
            story.removed.append(Removal(line.no, line.text, rule))
    return kept


def _rule_for(text: str, profile: Profile | None) -> tuple[str | None, str]:
    if SOURCE_LINE.match(text):
        return None, ""  # "Source: X" names the outlet; _take_metadata reads it, not the caption rule
    if profile is not None:
        if any(pattern.search(text) for pattern in profile.drop):
            return f"profile:{profile.key}:drop", "drop"
        if any(pattern.search(text) for pattern in profile.captions):
            return f"profile:{profile.key}:caption", CREDIT
    rule = apply_rules(text)
    return (rule.name, rule.action) if rule else (None, "")


def _remove_teaser_cards(lines: list[Line], story: Story) -> list[Line]:
    """Drop "related article" cards: teaser, "Author X", a relative time, the teaser again."""
    doomed: set[int] = set()
    for index, line in enumerate(lines):
        if not TEASER_AUTHOR.match(line.text):
            continue
        doomed.add(index)
        if index > 0:
            doomed.add(index - 1)
        nxt = index + 1
        if nxt < len(lines) and (RELATIVE_TIME.match(lines[nxt].text) or is_date_line(lines[nxt].text)):
            doomed.add(nxt)
            nxt += 1
        if index > 0 and nxt < len(lines) and lines[nxt].text in lines[index - 1].text:
            doomed.add(nxt)
    _drop([lines[index] for index in sorted(doomed)], "teaser-card", story)
    return [line for index, line in enumerate(lines) if index not in doomed]


def is_paragraph(text: str) -> bool:
    """Ends like a sentence, or is too long to be anything but prose."""
    return (ends_like_sentence(text) and word_count(text) >= 2) or word_count(text) >= 30


def boundary_kind(text: str) -> str:
    """"label" for a line that opens a block of furniture ("Comments (14)", "More from X",
    "Related news"), "hard" for one that punctuates comments and teasers ("2 hours ago",
    "Reply", an editor's line closing a Chinese story), "" otherwise. The story's run of prose
    never extends across a hard boundary, and across a label only to a run of several paragraphs
    (a related box inside the story)."""
    if RELATIVE_TIME.match(text) or FEEDBACK_LINE.match(text) or EDITOR_LINE.match(text):
        return HARD
    return LABEL if SECTION_LABEL.match(text) else ""


def _is_anchor(text: str, relaxed: bool = False) -> bool:
    length = visual_length(text)
    if relaxed:
        return (length >= RELAXED_MIN_CHARS and ends_like_sentence(text)) or length >= RELAXED_ANY_CHARS
    return (length >= ANCHOR_MIN_CHARS and ends_like_sentence(text)) or length >= ANCHOR_ANY_CHARS


def _find_region(lines: list[Line], boundaries: dict[int, str] | None = None) -> _Region:
    """The run of prose lines with the most text of good prose (see the module docstring)."""
    boundaries = boundaries or {}
    runs = _anchor_runs(lines, boundaries) or _anchor_runs(lines, boundaries, relaxed=True)
    if not runs:
        raise NoStory("no paragraph of prose was found")
    language = guess_language(" ".join(line.text for line in lines if _is_anchor(line.text, relaxed=True)))
    weights = [run.chars * _quality(lines[run.start: run.end + 1], language)
               * _after_label(lines, runs, index, boundaries) for index, run in enumerate(runs)]
    best_index = max(range(len(runs)), key=lambda i: (weights[i], -i))
    best = runs[best_index]
    for run in reversed(runs[:best_index]):
        if not _joinable(lines, run, best, boundaries):
            break
        best = _Region(run.start, best.end, run.chars + best.chars, run.anchors + best.anchors)
    for run in runs[best_index + 1:]:
        if not _joinable(lines, best, run, boundaries):
            break
        best = _Region(best.start, run.end, run.chars + best.chars, run.anchors + best.anchors)
    return _with_closing_paragraphs(lines, best, boundaries)


def _with_closing_paragraphs(lines: list[Line], region: _Region, boundaries: dict[int, str]) -> _Region:
    """A story often ends on a short paragraph, too short to anchor: take the sentence-like lines
    that follow the last anchor directly (no line between them in the page, not even one a rule
    removed), up to the first line that is not one."""
    end = region.end
    while (end + 1 < len(lines) and lines[end + 1].no == lines[end].no + 1 and is_paragraph(lines[end + 1].text)
           and _is_anchor(lines[end + 1].text, relaxed=True) and lines[end + 1].no not in boundaries):
        end += 1
    return _Region(region.start, end, region.chars, region.anchors)


def _joinable(lines: list[Line], first: _Region, second: _Region, boundaries: dict[int, str]) -> bool:
    """Two runs are one story when the gap is short, the smaller is not tiny, and no boundary lies
    between them, or only a label and both runs hold several paragraphs (see boundary_kind)."""
    small, big = sorted((first.chars, second.chars))
    if second.start - first.end - 1 > JOIN_GAP_LINES or small < JOIN_SHARE * big:
        return False
    crossed = _crosses(boundaries, lines[first.end].no, lines[second.start].no)
    return crossed is None or (crossed == LABEL and min(first.anchors, second.anchors) >= 2)


def _crosses(boundaries: dict[int, str], after: int, before: int) -> str | None:
    """The strongest boundary between two line numbers: "hard", "label" or None."""
    kinds = {kind for number, kind in boundaries.items() if after < number < before}
    return HARD if HARD in kinds else LABEL if kinds else None


def _after_label(lines: list[Line], runs: list[_Region], index: int, boundaries: dict[int, str]) -> float:
    """AFTER_LABEL_WEIGHT for a run that a furniture label ("相关新闻", "More from X", "Comments")
    opens, i.e. with a label between it and the run before (or the page's start), else 1.0: what
    follows such a label is about other articles, whatever its prose; in any language."""
    after, before = lines[runs[index - 1].end].no if index else 0, lines[runs[index].start].no
    labelled = any(kind == LABEL and after < number < before for number, kind in boundaries.items())
    return AFTER_LABEL_WEIGHT if labelled else 1.0


def _quality(run: list[Line], language: str) -> float:
    """1.0 for running prose; less for text with few function words of the page's language
    (lists of headlines, names and link text), so such a run wins only by being much longer."""
    if language not in ("en", "de", "fr", "es", "it", "pt", "nl", "ru"):
        return 1.0
    share = function_word_share(" ".join(line.text for line in run), language)
    return min(1.0, share / (PROSE_SHARE_FLOOR * TYPICAL_FUNCTION_SHARE))


def _anchor_runs(lines: list[Line], boundaries: dict[int, str], relaxed: bool = False) -> list[_Region]:
    runs: list[_Region] = []
    for index, line in enumerate(lines):
        if not _is_anchor(line.text, relaxed):
            continue
        last = runs[-1] if runs else None
        if last is not None and index - last.end - 1 <= MAX_GAP_LINES \
                and _crosses(boundaries, lines[last.end].no, line.no) is None:
            runs[-1] = _Region(last.start, index, last.chars + len(line.text), last.anchors + 1)
        else:
            runs.append(_Region(index, index, len(line.text), 1))
    return runs


def _read_header(header: list[Line], body: list[Line], story: Story) -> None:
    """Title, byline, date and source from the lines above the story; the rest is furniture."""
    title_index = _title_index(header, body)
    if title_index is None and body and _is_title_like(body[0].text):
        story.title = body.pop(0).text
        story.removed.append(Removal(0, story.title, "title (to front matter)"))
    for index, line in enumerate(header):
        if index == title_index:
            story.title = line.text
            story.removed.append(Removal(line.no, line.text, "title (to front matter)"))
        elif not _take_metadata(line, story):
            story.removed.append(Removal(line.no, line.text, "outside-story"))


def _take_metadata(line: Line, story: Story) -> bool:
    """Record a byline, dateline or "Source X" line; say whether the line was one."""
    if (byline := BYLINE.match(line.text)) is not None:
        story.author = story.author or byline_name(byline)
        story.removed.append(Removal(line.no, line.text, "byline (to front matter)"))
        return True
    if is_date_line(line.text):
        story.date = story.date or find_date(line.text)
        story.removed.append(Removal(line.no, line.text, "dateline (to front matter)"))
        return True
    if (source := SOURCE_LINE.match(line.text)) is not None and not story.source:
        story.source = source.group(1).strip()
        story.removed.append(Removal(line.no, line.text, "source-line (to front matter)"))
        return True
    return False


def _is_title_like(text: str) -> bool:
    return (3 <= word_count(text) <= 30 and len(text) <= 250 and not text.endswith((".", "。", "｡"))
            and BYLINE.match(text) is None and not is_date_line(text) and SOURCE_LINE.match(text) is None)


def _title_index(header: list[Line], body: list[Line]) -> int | None:
    """The title-like header line nearest the story, preferring one the page repeats (h1 + breadcrumb)."""
    window = range(len(header) - 1, max(-1, len(header) - 1 - TITLE_LOOKBACK), -1)
    candidates = [index for index in window if _is_title_like(header[index].text)]
    if header and _is_title_like(header[0].text) and header[0].no == 1 and 0 not in candidates:
        candidates.append(0)
    texts = [line.text for line in header]
    repeated = [index for index in candidates if texts.count(header[index].text) > 1]
    # A raw story starts with its title; a page flattened to text starts with the site's name
    # ("NHK NEWS WEB", "中央社 CNA"), which is shorter than a headline.
    first_line = [index for index in candidates if header[index].no == 1 and word_count(header[index].text) >= 5]
    chosen = repeated or first_line or candidates
    return chosen[0] if chosen else None


def _shape_body(body: list[Line], story: Story) -> list[Block]:
    """Paragraphs, lone short lines as sub-headings, the rest removed as fragments."""
    paragraph = [is_paragraph(line.text) for line in body]
    blocks: list[Block] = []
    for index, line in enumerate(body):
        if line.text == story.title:
            story.removed.append(Removal(line.no, line.text, "title (repeated)"))
        elif paragraph[index]:
            blocks.append(Block("p", line.text, line.no))
        elif _take_metadata(line, story):
            continue
        elif _is_heading(body, paragraph, index):
            blocks.append(Block("h", line.text, line.no))
        else:
            story.removed.append(Removal(line.no, line.text, "fragment"))
    return blocks


def _is_heading(body: list[Line], paragraph: list[bool], index: int) -> bool:
    text = body[index].text
    if len(text) > HEADING_MAX_CHARS or not 1 <= word_count(text) <= HEADING_MAX_WORDS:
        return False
    if not starts_like_heading(text):
        return False
    before = index == 0 or paragraph[index - 1]
    after = index + 1 < len(body) and paragraph[index + 1]
    return before and after


def clean_blocks(blocks: list[Block], title: str, profile: Profile | None) -> Story:
    """Clean what an HTML extractor kept: the same line rules, but headings come from the page."""
    headline = None
    if blocks and blocks[0].kind == "h":
        # The page's visible headline beats its <title>/og:title, which often carry a site suffix.
        headline, blocks = blocks[0], blocks[1:]
        title = headline.text
    story = Story(title=title)
    if headline is not None:
        story.removed.append(Removal(headline.no, headline.text, "title (to front matter)"))
    kinds = {block.no: block.kind for block in blocks}
    lines = [Line(block.no, block.text) for block in blocks]
    lines = _apply_profile_end(lines, profile, story)
    lines = _apply_line_rules(lines, profile, story)
    lines = _remove_teaser_cards(lines, story)
    for line in lines:
        if line.text == title:
            story.removed.append(Removal(line.no, line.text, "title (to front matter)"))
        elif len(line.text) <= HEADING_MAX_CHARS and _take_metadata(line, story):
            continue
        else:
            story.blocks.append(Block(kinds[line.no], line.text, line.no))
    story.removed.sort(key=lambda removal: removal.no)
    return story
