"""One name, one actor: a name or alias two actors claim would send every mention to whichever
actor comes first, silently. It is an error naming both files, unless an article settles it for
itself with ``aliases:`` (issue #20.5)."""

from __future__ import annotations

from .errors import Report
from .resolved import Site
from .validate import Content


def check_shared_names(site: Site, content: Content, report: Report) -> None:
    """Report each name or alias claimed by two annotated actors and settled by no article."""
    settled = {phrase for article in site.articles.values() for phrase in article.meta.aliases}
    claimed: dict[str, str] = {}
    for actor_id in sorted(site.actors):
        if actor_id in site.generated_actors:
            continue
        actor = site.actors[actor_id]
        for index, phrase in enumerate((actor.name, *actor.aliases)):
            first = claimed.setdefault(phrase, actor_id)
            if first == actor_id or phrase in settled:
                continue
            where = content.origin("actor", actor_id).at(*(("name",) if index == 0 else ("aliases", index - 1)))
            first_file = content.origin("actor", first).path
            report.error("shared-name", f"'{phrase}' names both '{first}' ({first_file}) and '{actor_id}'", where,
                         f"remove it from one of them, or say in each article's aliases: which actor "
                         f"'{phrase}' means there")
