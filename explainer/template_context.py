"""What every template gets as ``ctx``: plain lookups over the resolved site (labels in the
site's language, URLs, a vote's member rows and chart, an actor's mentions and records)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from . import charts, corrections, feeds, i18n, votelead
from .jsonld import to_script_text
from .model import ACTOR_KINDS, VOTE_CHOICES, Actor, Vote
from .pages import READER_PAGES, SOCIAL_IMAGE
from .record import Memo
from .resolved import Agreement, Site, VoteDiff
from .unstates import PERMANENT_MEMBERS, load_member_states
from .urls import Urls

N_ = i18n.N_  # labels are marked here and translated where they are shown
KIND_LABELS = {"person": N_("People"), "state": N_("States"), "organisation": N_("Organisations"),
               "outlet": N_("Outlets"), "group": N_("Groups")}
VOTE_LABELS = charts.LABEL  # one vocabulary for the charts, their legends and the page's text
BODY_LABELS = {"security-council": N_("Security Council"), "general-assembly": N_("General Assembly")}
KIND_NAMES = {"person": N_("Person"), "state": N_("State"), "organisation": N_("Organisation"),
              "outlet": N_("Outlet"), "group": N_("Group")}


@dataclass(frozen=True)
class BallotRow:
    actor: str
    name: str
    code: str
    vote: str
    href: str
    permanent: bool


@dataclass(frozen=True)
class Figure:
    svg: Markup
    off_map: list[BallotRow]
    legend: list[charts.LegendEntry]


@dataclass
class SiteContext:
    """Helpers shared by all templates: plain lookups over the resolved site."""

    site: Site  # the page's view of the site (record.SiteView)
    urls: Urls
    lang: i18n.Language = i18n.ENGLISH
    # A vote's member rows feed its tally, chart and lists, and each actor page's records:
    # made once for all pages, with the reads that made them (record.Memo).
    memo: Memo = field(default_factory=Memo, repr=False)

    def actor(self, actor_id: str) -> Actor:
        return self.site.actors[actor_id]

    def actor_url(self, actor_id: str, anchor: str | None = None) -> str:
        return self.urls.page("actor", actor_id, anchor)

    def article_url(self, slug: str, anchor: str | None = None) -> str:
        return self.urls.page("article", slug, anchor)

    def vote_url(self, vote_id: str, anchor: str | None = None) -> str:
        return self.urls.page("vote", vote_id, anchor)

    def quote_url(self, quote_id: str) -> str:
        return corrections.quote_place(self.site, self.urls, self.site.quotes[quote_id])

    def vote_label(self, choice: str) -> str:
        return self.lang.gettext(VOTE_LABELS[choice])

    def body_label(self, body: str) -> str:
        return self.lang.gettext(BODY_LABELS[body])

    def kind_label(self, kind: str) -> str:
        return self.lang.gettext(KIND_LABELS[kind])

    def kind_name(self, kind: str) -> str:
        return self.lang.gettext(KIND_NAMES[kind])

    def result_label(self, result: str) -> str:
        return self.lang.gettext(i18n.RESULT_LABELS[result])

    def outcome_reason(self, decision: Any) -> str:
        return i18n.outcome_phrase(self.lang, decision.reason)

    def outcome_rule(self, decision: Any) -> str:
        return i18n.outcome_phrase(self.lang, decision.rule)

    def member_name(self, actor_id: str) -> str:
        """A UN member's name on vote pages: Babel's name for the site's locale when the page was
        generated from the UN list (an annotated actor keeps the name its editor gave it)."""
        return self._member_name(self.site, actor_id)

    def _member_name(self, site: Site, actor_id: str) -> str:
        # ``site``: the view whose recorder gets the reads (a memoised computation's own).
        actor = site.actors[actor_id]
        if actor_id not in site.generated_actors or not actor.iso3:
            return actor.name
        state = load_member_states().get(actor.iso3)
        return self.lang.country(state.iso2 if state else "", actor.name)

    def rows(self, vote: Vote, amendment: str | None = None) -> list[BallotRow]:
        def make(site: Site) -> list[BallotRow]:
            ballots = site.ballots.get((vote.id, amendment), [])
            return sorted((BallotRow(b.actor, self._member_name(site, b.actor), b.code, b.vote, self.actor_url(b.actor),
                                     vote.body == "security-council" and b.code in PERMANENT_MEMBERS) for b in ballots),
                          key=lambda r: (VOTE_CHOICES.index(r.vote), r.name))
        rows: list[BallotRow] = self.memo.get(self.site, ("rows", vote.id, amendment), make)
        return rows

    def grouped(self, vote: Vote, amendment: str | None = None) -> list[tuple[str, list[BallotRow]]]:
        rows = self.rows(vote, amendment)
        return [(choice, [r for r in rows if r.vote == choice]) for choice in VOTE_CHOICES
                if any(r.vote == choice for r in rows)]

    def counted(self, vote: Vote, amendment: str | None = None) -> dict[str, int]:
        rows = self.rows(vote, amendment)
        return {choice: sum(1 for r in rows if r.vote == choice) for choice in VOTE_CHOICES}

    def figure(self, vote: Vote, amendment: str | None = None, vetoed_by: Sequence[str] = ()) -> Figure | None:
        """The vote drawn as inline SVG (seats or world map), or None when no member vote is known."""
        rows = self.rows(vote, amendment)
        if not rows:
            return None
        chart_id = f"chart-{vote.id}" + (f"-{amendment}" if amendment else "")
        title = vote.resolution + (self.lang.gettext(", amendment %(id)s") % {"id": amendment} if amendment else "")
        vetoes = {self.site.actors[a].iso3 or a if a in self.site.actors else a for a in vetoed_by}
        # The main vote's members whose vote changed since the vote it follows are marked.
        was = {c.actor: c.before for c in self.site.vote_changes.get(vote.id, ())} if amendment is None else {}
        ballots = [charts.Ballot(code=r.code, name=r.name, vote=r.vote, href=r.href, permanent=r.permanent,
                                 veto=r.vote == "no" and r.code in vetoes, was=was.get(r.actor)) for r in rows]
        if vote.body == "security-council":
            return Figure(Markup(charts.council_chart(ballots, title=title, chart_id=chart_id, lang=self.lang)), [],
                          charts.legend(ballots, self.lang))
        states = load_member_states()
        drawn = charts.world_map(ballots, title=title, chart_id=chart_id,
                                 m49_of={code: state.m49 for code, state in states.items()},
                                 sprite=self.urls.static(charts.SPRITE), lang=self.lang)
        off = {b.code for b in drawn.off_map}
        return Figure(Markup(drawn.svg), [r for r in rows if r.code in off],
                      charts.legend(ballots, self.lang, world=True))

    def vote_counts(self, vote: Vote, amendment: Any = None) -> dict[str, int | None]:
        """The declared tally of a vote (or of an amendment, given as the object), each count it
        leaves out taken from the member votes recorded here when they are complete."""
        tally = amendment.tally if amendment is not None else vote.tally
        counted = self.counted(vote, amendment.id if amendment is not None else None)
        complete = vote.members_complete and amendment is None
        return {c: tally.get(c) if tally.get(c) is not None else (counted[c] if complete else None)
                for c in VOTE_CHOICES}

    def count_sentence(self, vote: Vote, amendment: Any = None) -> str:
        """'The vote was 4 in favour to 6 against, with 5 abstentions.' (or not recorded)."""
        return votelead.count_sentence(self.vote_counts(vote, amendment), self.lang)

    def vote_lead(self, vote: Vote) -> Markup:
        """The sentence a vote page leads with: what happened and who stood apart (votelead.py)."""
        members = [votelead.Member(r.name, r.href, r.vote) for r in self.rows(vote)]
        vetoes = [self._member(code) for code in vote.vetoed_by]
        outcome = self.site.outcomes.get((vote.id, None))
        result = vote.result or (outcome.result if outcome else "adopted")
        return votelead.lead(vote.body, result, self.vote_counts(vote), members, vetoes, self.lang)

    def _member(self, code: str) -> votelead.Member:
        actor = self.site.actor_by_code.get(code, code)
        return votelead.Member(self.member_name(actor), self.actor_url(actor), "no")

    def key_actors(self, count: int) -> list[Actor]:
        """The most mentioned and quoted actors, for the home page."""
        def weight(actor_id: str) -> tuple[int, str]:
            mentions = len(self.site.mentions.get(actor_id, [])) + len(self.site.quotes_by_speaker.get(actor_id, []))
            return (-mentions, self.site.actors[actor_id].name)
        ranked = sorted((a for a in self.site.mentions if a not in self.site.generated_actors), key=weight)
        return [self.site.actors[a] for a in ranked[:count]]

    def difference_groups(self, name: str, other: str, differences: Iterable[VoteDiff]) -> Markup:
        """The votes two members cast differently (actor.html), grouped by the pair of positions:
        one line names the two positions, the next the votes, in list order. A table of one row
        per vote said both positions again on each row: at 5,000 articles a state's page had
        about 1,100 such rows, two thirds of its 190 KB. Made here, not by a loop in the template,
        for the same reason (the template's loop was most of the time of those pages)."""
        groups: dict[tuple[str, str], list[str]] = {}
        for diff in differences:
            groups.setdefault((diff.mine, diff.theirs), []).append(self._vote_link(diff.vote, diff.amendment))
        order = {choice: i for i, choice in enumerate(VOTE_LABELS)}
        lines = []
        for (mine, theirs), links in sorted(groups.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])):
            lines.append(f"<dt>{self._position(name, mine)} {self._position(other, theirs)}</dt>"
                         f"<dd>{', '.join(links)}</dd>")
        return Markup("\n".join(lines))

    def _position(self, name: str, choice: str) -> str:
        """'France: in favour' as a badge of the vote's colour and mark."""
        gettext = self.lang.gettext
        text = gettext("%(name)s: %(vote)s") % {"name": name, "vote": gettext(charts.PHRASE[choice])}
        return f'<span class="vote-badge vote-{choice}">{escape(text)}</span>'

    def agreement_rows(self, actor_id: str, rows: Sequence[Agreement]) -> Markup:
        """The rows of the table of every member compared with ``actor_id`` (actor.html), one
        line each, made here for the reason given in ``difference_groups`` (193 on each state's page)."""
        gettext, diffs = self.lang.gettext, self.site.vote_diffs
        here, there = escape(gettext("here")), escape(gettext("on its page"))
        lines = []
        for row in rows:
            other = row.other
            if (actor_id, other) in diffs:
                where = f'<a href="#with-{escape(other)}">{here}</a>'
            elif (other, actor_id) in diffs:
                where = f'<a href="{escape(self.actor_url(other, "with-" + actor_id))}">{there}</a>'
            else:
                where = ""
            percent = escape(gettext("%(percent)s %%") % {"percent": row.percent})
            # No </td> or </tr>: HTML closes a cell at the next one and a row at the next row
            # (a fifth of the bytes of these 192 rows, on 193 pages).
            lines.append(f'<tr><td><a href="{escape(self.actor_url(other))}">'
                         f"{escape(self.site.actors[other].name)}</a><td>{percent}<td>{row.compared}<td>{where}")
        return Markup("\n".join(lines))

    def _vote_link(self, vote_id: str, amendment: str | None) -> str:
        """A link to a vote (or one of its amendments) named by its symbol, as HTML, made once a build."""
        def make(site: Site) -> str:
            vote = site.votes[vote_id]
            name = vote.resolution + (self.lang.gettext(", amendment %(id)s") % {"id": amendment} if amendment else "")
            url = self.vote_url(vote_id, f"amendment-{amendment}" if amendment else None)
            return f'<a href="{escape(url)}">{escape(name)}</a>'
        link: str = self.memo.get(self.site, ("vote-link", vote_id, amendment), make)
        return link

    def actors_by_kind(self, actor_ids: list[str]) -> list[tuple[str, list[Actor]]]:
        actors = [self.site.actors[a] for a in actor_ids]
        return [(kind, sorted((a for a in actors if a.kind == kind), key=lambda a: a.name)) for kind in ACTOR_KINDS
                if any(a.kind == kind for a in actors)]

    def json_ld(self, data: dict[str, Any]) -> Markup:
        """Any data as JSON safe inside <script type="application/ld+json">."""
        return Markup(to_script_text(data))

    def reader_url(self, name: str) -> str:
        """The search or timeline page."""
        return self.urls.path(READER_PAGES[name])

    def absolute(self, link: str) -> str:
        """An absolute URL when base_url names a host, else the path-absolute link."""
        return self.urls.absolute(link) or link

    @property
    def social_image(self) -> str:
        return self.absolute(self.urls.path(SOCIAL_IMAGE))

    @property
    def feed_url(self) -> str:
        return self.urls.path(feeds.FEED_PATH)
