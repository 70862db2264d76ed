"""The only markdown_it importer: the configured parser and our explainer plugin.

The plugin is a core rule that runs after inline parsing and works on tokens, never on HTML:
- every paragraph gets an id derived from its text, so it survives edits elsewhere;
- attributed quotes are wrapped in <q> with an anchor and a link to the speaker;
- actor names and aliases in running text become links (never inside links, code, headings or
  image text), following the configured policy: first mention per article, per section, or all;
- passages the record contradicts are marked, with a note after their paragraph.
The module knows nothing of the content model: it is handed plain annotations and URLs.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .phrasematch import PhraseMatcher, words
from .textmatch import direct_quotes, find_quote
from .unknownnames import Occurrence, occurrences
from .unsymbols import find_symbols, library_url

ENV_KEY = "explainer"
MENTIONED_TEXT = "explainer_mentioned_text"  # token type: text with actor links


@dataclass(frozen=True)
class QuoteMark:
    quote_id: str
    text: str
    speaker_url: str  # the quote on its speaker's page: the quoted words link there


@dataclass(frozen=True)
class ClaimMark:
    claim_id: str
    text: str
    note: str
    link_url: str
    link_text: str


class ResolvedLink(Protocol):
    """An editor's internal link, resolved (editorlinks.Resolved)."""

    @property
    def href(self) -> str: ...


class LinkResolver(Protocol):
    """Resolves an editor's link; None leaves it as written (it leaves the site)."""

    def __call__(self, href: str) -> ResolvedLink | None: ...


@dataclass(frozen=True)
class Annotations:
    """What the plugin needs to know about one article."""

    phrases: Mapping[str, str | None] = field(default_factory=dict)  # phrase -> actor id, None = never link
    matcher: PhraseMatcher | None = None  # prebuilt from ``phrases``, shared by articles with the same phrases
    actor_urls: Mapping[str, str] = field(default_factory=dict)
    quotes: Sequence[QuoteMark] = ()
    claims: Sequence[ClaimMark] = ()
    link_mentions: str = "first"
    links: LinkResolver | None = None  # the editor's own links: resolved, rewritten and recorded
    find_names: bool = True  # collect capitalised names no actor takes (off with unknown_name: ignore)


@dataclass(frozen=True)
class MentionHit:
    actor: str
    anchor: str


@dataclass
class ArticleState:
    """Per-document state, kept in markdown-it's env under one key."""

    annotations: Annotations
    matcher: PhraseMatcher
    line_offset: int = 0
    linked: set[str] = field(default_factory=set)
    used_ids: set[str] = field(default_factory=set)
    mentions: list[MentionHit] = field(default_factory=list)
    mentioned: set[tuple[str, str]] = field(default_factory=set)  # (actor, paragraph) already recorded
    quote_anchors: dict[str, str] = field(default_factory=dict)
    claims_found: set[str] = field(default_factory=set)
    direct_quotes: list[tuple[str, int]] = field(default_factory=list)
    paragraph_ids: list[str] = field(default_factory=list)
    lines: Sequence[str] = ()  # the Markdown's lines, to find a link's or a name's column
    names: list[Occurrence] = field(default_factory=list)  # capitalised words no actor name took
    # The editor's internal links: (as written, line, column, resolved).
    links: list[tuple[str, int, int, ResolvedLink]] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedArticle:
    html: str
    state: ArticleState


def make_markdown(*, html_enabled: bool = False) -> MarkdownIt:
    """CommonMark with our plugin; raw HTML in articles is escaped unless ``html_enabled``."""
    md = MarkdownIt("commonmark", {"html": html_enabled, "typographer": False})
    md.use(explainer_plugin)
    return md


def explainer_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("explainer_annotate", _annotate)
    md.add_render_rule(MENTIONED_TEXT, _render_mentioned)


def render_article(md: MarkdownIt, body: str, annotations: Annotations, line_offset: int = 0) -> RenderedArticle:
    matcher = annotations.matcher or PhraseMatcher(annotations.phrases)
    state = ArticleState(annotations=annotations, matcher=matcher, line_offset=line_offset,
                         lines=body.split("\n"))
    env = {ENV_KEY: state}
    rendered = md.render(body, env)
    return RenderedArticle(html=rendered, state=state)


def render_inline(md: MarkdownIt, text: str, resolve: LinkResolver) -> tuple[str, list[tuple[str, ResolvedLink]]]:
    """A short text written in YAML (a quote's context, a correction) as inline Markdown, its
    internal links rewritten by ``resolve``; with those links (as written, resolved)."""
    tokens = md.parseInline(text, {})
    state = ArticleState(annotations=Annotations(links=resolve), matcher=PhraseMatcher({}), lines=text.split("\n"))
    for token in tokens:
        _editor_links(token, resolve, state)
    return md.renderer.render(tokens, md.options, {}), [(written, found) for written, _, _, found in state.links]


# --- the core rule ------------------------------------------------------------------------


def _state(env: object) -> ArticleState | None:
    if isinstance(env, dict):
        found = env.get(ENV_KEY)
        if isinstance(found, ArticleState):
            return found
    return None


def _annotate(core: StateCore) -> None:
    state = _state(core.env)
    if state is None:
        return
    tokens = core.tokens
    if state.annotations.links is not None:  # before our own links are added
        for token in tokens:
            if token.type == "inline" and token.children:
                _editor_links(token, state.annotations.links, state)
    result: list[Token] = []
    anchor_holder: Token | None = None
    pending_notes: list[ClaimMark] = []
    for index, token in enumerate(tokens):
        result.append(token)
        if token.type == "heading_open":
            if state.annotations.link_mentions == "first-per-section":
                state.linked.clear()
            inline = tokens[index + 1]
            token.attrSet("id", _unique(state, "h-" + _slugify(inline.content)))
        elif token.type == "list_item_open":
            anchor_holder = token
        elif token.type == "paragraph_open":
            inline = tokens[index + 1]
            holder = anchor_holder if token.hidden and anchor_holder is not None else token
            anchor = holder.attrGet("id") or _unique(state, "p-" + _digest(inline.content))
            holder.attrSet("id", str(anchor))
            state.paragraph_ids.append(str(anchor))
            line = (inline.map[0] if inline.map else 0) + 1 + state.line_offset
            _annotate_inline(inline, state, str(anchor), line, pending_notes)
        elif token.type == "paragraph_close" and pending_notes:
            result.extend(_note_token(note) for note in pending_notes)
            pending_notes.clear()
    core.tokens = result


def _editor_links(inline: Token, resolve: LinkResolver, state: ArticleState) -> None:
    """Resolve, rewrite and record the links and images an editor wrote in one block."""
    first = inline.map[0] if inline.map else 0
    breaks = 0
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            breaks += 1
            continue
        attribute = "href" if child.type == "link_open" else "src" if child.type == "image" else None
        if attribute is None or child.markup == "linkify":
            continue
        href = str(child.attrGet(attribute) or "")
        resolved = resolve(href)
        if resolved is None:
            continue
        written = unquote(href)
        line = state.lines[first + breaks] if first + breaks < len(state.lines) else ""
        column = line.find(written) + 1 or 1
        state.links.append((written, first + breaks + 1 + state.line_offset, column, resolved))
        child.attrSet(attribute, resolved.href)


def _annotate_inline(inline: Token, state: ArticleState, anchor: str, line: int, notes: list[ClaimMark]) -> None:
    children = inline.children or []
    plain = "".join(c.content for c in children if c.type in ("text", "code_inline"))
    for passage in direct_quotes(plain):
        state.direct_quotes.append((passage, line))
    output: list[Token] = []
    link_depth = breaks = 0
    for index, child in enumerate(children):
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        elif child.type in ("softbreak", "hardbreak"):
            breaks += 1
        if child.type != "text" or link_depth:
            output.append(child)
            continue
        if state.annotations.find_names:
            _collect_names(child.content, state, index == 0, line + breaks)
        output.extend(_split_quotes(child.content, state, anchor, notes))
    inline.children = output


def _collect_names(text: str, state: ArticleState, starts_block: bool, line: int) -> None:
    """The capitalised words of a run of text that no actor name or unlinked phrase takes
    (unknownnames.py): the matched names are blanked out first."""
    masked = text
    spans = [(start, end) for start, end, _ in state.matcher.finditer(text)]
    if "/" in text:  # UN document symbols (A/RES/ES-11/7) are no names
        spans += [(start, end) for start, end, _ in find_symbols(text)]
    for start, end in spans:
        masked = masked[:start] + "\0" * (end - start) + masked[end:]
    source = state.lines[line - 1 - state.line_offset] if 0 <= line - 1 - state.line_offset < len(state.lines) else ""
    # The text's column: where it is in its line (not found: written with escapes or entities).
    state.names.extend(occurrences(masked, starts_block, line, source.find(text)))


def _split_quotes(text: str, state: ArticleState, anchor: str, notes: list[ClaimMark]) -> list[Token]:
    """Wrap attributed quotes and contradicted claims; mention-link the rest."""
    marks: list[tuple[int, int, QuoteMark | ClaimMark]] = []
    for quote in state.annotations.quotes:
        if quote.quote_id in state.quote_anchors:
            continue
        span = find_quote(text, quote.text)
        if span is not None:
            marks.append((span.start, span.end, quote))
    for claim in state.annotations.claims:
        if claim.claim_id in state.claims_found:
            continue
        span = find_quote(text, claim.text)
        if span is not None:
            marks.append((span.start, span.end, claim))
    marks.sort(key=lambda m: (m[0], -m[1]))
    out: list[Token] = []
    position = 0
    for start, end, mark in marks:
        if start < position:
            continue  # overlapping marks: the earlier one wins, the other is reported as not found
        out.extend(_mention_tokens(text[position:start], state, anchor))
        if isinstance(mark, QuoteMark):
            # The attribution goes after the closing quotation mark and its punctuation.
            closing = _CLOSING.match(text, end)
            trailing = closing.group(0) if closing else ""
            out.extend(_quote_tokens(mark, text[start:end], trailing, state, anchor))
            end += len(trailing)
        else:
            state.claims_found.add(mark.claim_id)
            notes.append(mark)
            out.append(_token("mark_open", "mark", 1,
                              {"class": "claim", "id": _unique(state, f"claim-{mark.claim_id}")}))
            out.extend(_mention_tokens(text[start:end], state, anchor))
            out.append(_token("mark_close", "mark", -1))
        position = end
    out.extend(_mention_tokens(text[position:], state, anchor))
    return out


_CLOSING = re.compile(r"[,.;:!?]*[\u201d\u2019\"']?")


def _quote_tokens(mark: QuoteMark, inner: str, trailing: str, state: ArticleState, anchor: str) -> list[Token]:
    quote_anchor = _unique(state, f"quote-{mark.quote_id}")
    state.quote_anchors[mark.quote_id] = quote_anchor
    # The quoted words themselves link to the quote on the speaker's page: the sentence around
    # them already names the speaker, so nothing is inserted into it (issue #23: a chip after
    # the quote read "…to be done,” [Dmitry Peskov] Peskov told CNBC" and leaked into search
    # excerpts). A link cannot hold links, so names inside a quote are counted, not linked.
    # The link is the quote's source: no cite attribute restating it (CSS styles .quote-link q).
    tokens = [_token("link_open", "a", 1, {"href": mark.speaker_url, "class": "quote-link"}),
              _token("quote_open", "q", 1, {"id": quote_anchor})]
    tokens.extend(_mention_tokens(inner, state, anchor, link=False))
    tokens.append(_token("quote_close", "q", -1))
    tokens.append(_token("link_close", "a", -1))
    if trailing:
        tokens.append(_text(trailing))
    return tokens


def _mention_tokens(text: str, state: ArticleState, anchor: str, link: bool = True) -> list[Token]:
    """One token for a run of text, holding the actor links in it (see ``_render_mentioned``);
    with ``link`` false (inside a quote, itself a link) the mentions are recorded, not linked."""
    if not text:
        return []
    links: list[tuple[int, int, str, str]] = []
    for start, end, actor in state.matcher.finditer(text):
        if actor is None:
            continue
        _record_mention(state, actor, anchor)
        if not link:
            continue
        if actor in state.linked and state.annotations.link_mentions != "all":
            continue
        state.linked.add(actor)
        url = state.annotations.actor_urls.get(actor)
        if url is not None:
            links.append((start, end, url, actor))
    if "/" in text and link:  # every UN document symbol has one; most text runs have none
        links = _with_symbols(text, links)
    if not links:
        return [_text(text)]
    token = Token(MENTIONED_TEXT, "", 0, content=text, meta={"links": links})
    return [token]


def _with_symbols(text: str, links: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """``links`` with a link to the UN Digital Library for each document symbol in ``text`` that
    does not overlap an actor link (actor "" marks a symbol's link)."""
    symbols = [(start, end, library_url(symbol), "") for start, end, symbol in find_symbols(text)
               if not any(start < link_end and link_start < end for link_start, link_end, _, _ in links)]
    return sorted(links + symbols) if symbols else links


def _render_mentioned(renderer: object, tokens: Sequence[Token], index: int, options: object, env: object) -> str:
    """A run of text with links to the actors it names, as markdown-it would render it split
    into text and link tokens: one token instead of four per link (news text names an actor in
    nearly every sentence) took parse plus plugin from 1.00 to 0.92 ms per article."""
    token = tokens[index]
    text = token.content
    out: list[str] = []
    position = 0
    for start, end, url, actor in token.meta["links"]:
        out.append(escapeHtml(text[position:start]))
        if actor:
            # The actor is the link's address: no data-actor attribute restating it (no script reads one).
            out.append(f'<a href="{escapeHtml(url)}" class="mention">')
        else:
            out.append(f'<a href="{escapeHtml(url)}" class="un-document">')
        out.append(escapeHtml(text[start:end]))
        out.append("</a>")
        position = end
    out.append(escapeHtml(text[position:]))
    return "".join(out)


def _record_mention(state: ArticleState, actor: str, anchor: str) -> None:
    if (actor, anchor) in state.mentioned:
        return
    state.mentioned.add((actor, anchor))
    state.mentions.append(MentionHit(actor=actor, anchor=anchor))


def _note_token(claim: ClaimMark) -> Token:
    note = _token("html_block", "", 0)
    note.content = (
        f'<aside class="record-note" role="note"><p><strong>On the record:</strong> {html.escape(claim.note)} '
        f'<a href="{html.escape(claim.link_url)}">{html.escape(claim.link_text)}</a></p></aside>\n'
    )
    return note


def _token(kind: str, tag: str, nesting: Literal[-1, 0, 1], attrs: dict[str, str] | None = None) -> Token:
    return Token(kind, tag, nesting, attrs=dict(attrs or {}))


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _digest(text: str) -> str:
    """A short hash of a paragraph's words: stable when other paragraphs change."""
    return hashlib.sha1(" ".join(words(text.lower())).encode("utf-8")).hexdigest()[:8]


def _slugify(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return slug[:60].rstrip("-") or "section"


def _unique(state: ArticleState, candidate: str) -> str:
    anchor, number = candidate, 2
    while anchor in state.used_ids:
        anchor = f"{candidate}-{number}"
        number += 1
    state.used_ids.add(anchor)
    return anchor
