"""What a vote page says first: what happened, by how much, and who stood apart.

UN press releases lead with the outcome and name the minority ("adopted by a recorded vote of
93 in favour to 18 against, with 65 abstentions ... Against: Belarus, ..."); a vote page does
the same in the site's language, from the declared tally (the member votes recorded here fill
a count the tally leaves out only when they are complete). A group is named when it is not the
largest of in favour, against and abstained and has at most NAMED_AT_MOST members: the 18
against in the Assembly, the 5 abstaining in the Council, not 65 abstentions. A group whose
members are only partly recorded is named as "Among those …".

Every name is escaped here; the result is Markup with links to the members' pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .i18n import ENGLISH, N_, Language

NAMED_AT_MOST = 20
SIDES = ("yes", "no", "abstain")

THE_BODY = {"security-council": N_("The Security Council"), "general-assembly": N_("The General Assembly")}
# (result, counts known?) -> the sentence; %(body)s is THE_BODY, %(counts)s from counts_phrase.
OUTCOME = {
    ("adopted", True): N_("%(body)s adopted the resolution by %(counts)s."),
    ("adopted", False): N_("%(body)s adopted the resolution."),
    ("rejected", True): N_("%(body)s rejected the draft by %(counts)s."),
    ("rejected", False): N_("%(body)s rejected the draft."),
}
NAMED = {"yes": N_("In favour: %(names)s."), "no": N_("Against: %(names)s."), "abstain": N_("Abstained: %(names)s.")}
NAMED_IN_PART = {"yes": N_("Among those in favour: %(names)s."), "no": N_("Among those against: %(names)s."),
                 "abstain": N_("Among those who abstained: %(names)s.")}


@dataclass(frozen=True)
class Member:
    """A member as the lead names it: its name on vote pages, its page, its vote."""

    name: str
    href: str
    vote: str


def counts_phrase(counts: Mapping[str, int | None], lang: Language = ENGLISH) -> str:
    """'93 in favour to 18 against, with 65 abstentions'; '9 in favour; the other counts are not
    recorded'; '' when not even the votes in favour are known."""
    yes, no, abstain = (counts.get(side) for side in SIDES)
    if yes is None:
        return ""
    if no is None:
        return lang.gettext("%(yes)s in favour; the other counts are not recorded") % {"yes": lang.number(yes)}
    text = lang.gettext("%(yes)s in favour to %(no)s against") % {
        "yes": lang.number(yes), "no": lang.number(no) if no else lang.gettext("none")}
    if abstain is None:
        return text + lang.gettext(" (abstentions not recorded)")
    if not abstain:
        return text + lang.gettext(", with no abstentions")
    return text + lang.ngettext(", with %(num)s abstention", ", with %(num)s abstentions", abstain) % {
        "num": lang.number(abstain)}


def count_sentence(counts: Mapping[str, int | None], lang: Language = ENGLISH) -> str:
    """'The vote was 4 in favour to 6 against, with 5 abstentions.' or 'The count is not recorded.'"""
    phrase = counts_phrase(counts, lang)
    return lang.gettext("The vote was %(counts)s.") % {"counts": phrase} if phrase else lang.gettext(
        "The count is not recorded.")


def _links(members: Sequence[Member], lang: Language) -> Markup:
    return Markup(lang.list(Markup('<a href="{}">{}</a>').format(m.href, m.name) for m in members))


def outcome_sentence(body: str, result: str, counts: Mapping[str, int | None], vetoes: Sequence[Member],
                     lang: Language = ENGLISH) -> Markup:
    """The first sentence: the body, what it decided and by how much (a veto names who cast it)."""
    phrase = counts_phrase(counts, lang)
    values = {"body": lang.gettext(THE_BODY[body]), "counts": phrase}
    if result == "vetoed":
        text = lang.ngettext("%(body)s did not adopt the draft, owing to the negative vote of %(members)s, "
                             "a permanent member", "%(body)s did not adopt the draft, owing to the negative votes of "
                             "%(members)s, permanent members", max(len(vetoes), 1))
        sentence = escape(text) % {**values, "members": _links(vetoes, lang)}
        return sentence + Markup(". ") + escape(count_sentence(counts, lang))
    return escape(lang.gettext(OUTCOME[(result if result in ("adopted", "rejected") else "rejected", bool(phrase))])
                  % values)


def apart_sentences(counts: Mapping[str, int | None], members: Sequence[Member], lang: Language = ENGLISH) -> Markup:
    """'Against: A, B and C.' for each side that is not the largest and has 1 to NAMED_AT_MOST
    members, named from the members recorded here ('Among those against: …' when partial)."""
    recorded = {side: [m for m in members if m.vote == side] for side in SIDES}
    sizes = {side: counts.get(side) if counts.get(side) is not None else len(recorded[side]) for side in SIDES}
    largest = max(SIDES, key=lambda side: (sizes[side] or 0, side == "yes"))
    sentences = []
    for side in ("no", "abstain", "yes"):
        size = sizes[side] or 0
        if side == largest or not recorded[side] or size > NAMED_AT_MOST:
            continue
        message = NAMED[side] if len(recorded[side]) >= size else NAMED_IN_PART[side]
        sentences.append(escape(lang.gettext(message)) % {"names": _links(recorded[side], lang)})
    return Markup(" ").join(sentences)


def lead(body: str, result: str, counts: Mapping[str, int | None], members: Sequence[Member],
         vetoes: Sequence[Member], lang: Language = ENGLISH) -> Markup:
    """The outcome sentence, then who stood apart."""
    apart = apart_sentences(counts, members, lang)
    first = outcome_sentence(body, result, counts, vetoes, lang)
    return first + Markup(" ") + apart if apart else first
