"""References to actors shared by the link stage's checks: an unknown actor's message, and the
actor a UN member code stands for (generated from the member-state list when no file names it)."""

from __future__ import annotations

import re
import unicodedata

from .diagnose import suggest
from .errors import Location, Report
from .model import Actor
from .resolved import Site
from .unstates import load_member_states


def unknown_actor(site: Site, actor: str, where: Location, report: Report, role: str) -> None:
    if ("actor", actor) in site.broken:
        return  # its own file failed validation and was reported there
    report.error("unknown-reference", f"{role} '{actor}' is not defined{suggest(actor, site.actors)}", where,
                 f"add content/actors/{actor}.yaml or use an existing actor id")


def member_actor(site: Site, key: str) -> str | None:
    """The actor id for a vote member given by actor id or ISO3 code; generates UN members."""
    if key in site.actors:
        return key
    code = key.upper()
    if code in site.actor_by_code:
        return site.actor_by_code[code]
    state = load_member_states().get(code)
    if state is None:
        return None
    actor_id = state_slug(state.name)
    if actor_id in site.actors and site.actors[actor_id].iso3 != code:
        actor_id = code.lower()
    site.actors[actor_id] = Actor.model_validate({
        "id": actor_id, "kind": "state", "name": state.name, "iso3": code,
        "description": f"UN member state ({state.sub_region or state.region})."})
    site.generated_actors.add(actor_id)
    site.actor_by_code[code] = actor_id
    return actor_id


def state_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "state"
