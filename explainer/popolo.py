"""The site's people, organisations, memberships and UN votes in the Popolo open-government
data shape (popoloproject.com): popolo.json of the open data (exports.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import Actor, Vote
from .resolved import Site
from .unrules import assembly_rule, council_rule, council_terms
from .unstates import PERMANENT_MEMBERS
from .urls import wikidata_url

POPOLO_OPTIONS = {"yes": "yes", "no": "no", "abstain": "abstain", "absent": "absent"}


class Popolo:
    """popolo.json of a site. ``page`` (kind, id -> absolute URL) and ``member_codes`` (a vote's
    members by ISO alpha-3 code) are the exporter's, so links and codes match the other files."""

    def __init__(self, site: Site, page: Callable[[str, str], str],
                 member_codes: Callable[[Vote], dict[str, str]]) -> None:
        self.site = site
        self.page = page
        self._member_codes = member_codes

    def document(self) -> dict[str, Any]:
        site = self.site
        persons = [self._person(actor) for actor in _sorted(site.actors) if actor.kind == "person"]
        organizations = [self._organization(actor) for actor in _sorted(site.actors) if actor.kind != "person"]
        known = {organization["id"] for organization in organizations}
        for body, name in (("general-assembly", "United Nations General Assembly"),
                           ("security-council", "United Nations Security Council")):
            if _body_id(body) not in known:
                organizations.append({"id": _body_id(body), "name": name, "classification": "un body"})
        organizations.sort(key=lambda organization: organization["id"])
        memberships = self._memberships()
        motions, vote_events = [], []
        for vote in _sorted(site.votes):
            motions.append(self._motion(vote))
            vote_events.append(self._vote_event(vote))
        return {"persons": persons, "organizations": organizations, "memberships": memberships,
                "motions": motions, "vote_events": vote_events}

    def _identifiers(self, actor: Actor) -> list[dict[str, str]]:
        identifiers = []
        if actor.wikidata:
            identifiers.append({"scheme": "wikidata", "identifier": actor.wikidata})
        if actor.iso3:
            identifiers.append({"scheme": "iso3166-1-alpha3", "identifier": actor.iso3})
        return identifiers

    def _common(self, actor: Actor) -> dict[str, Any]:
        record: dict[str, Any] = {"id": actor.id, "name": actor.name,
                                  "links": [{"url": self.page("actor", actor.id), "note": "page on this site"}]}
        if actor.aliases:
            record["other_names"] = [{"name": alias} for alias in actor.aliases]
        identifiers = self._identifiers(actor)
        if identifiers:
            record["identifiers"] = identifiers
        if actor.wikidata:
            record["links"].append({"url": wikidata_url(actor.wikidata), "note": "Wikidata"})
        if actor.source and actor.source.url:
            record["sources"] = [{"url": actor.source.url, "note": actor.source.name}]
        return record

    def _person(self, actor: Actor) -> dict[str, Any]:
        record = self._common(actor)
        if actor.description or actor.role:
            record["summary"] = actor.description or actor.role
        return record

    def _organization(self, actor: Actor) -> dict[str, Any]:
        record = self._common(actor)
        record["classification"] = "member state" if actor.kind == "state" else actor.kind
        if actor.description or actor.role:
            record["description"] = actor.description or actor.role
        return record

    def _memberships(self) -> list[dict[str, Any]]:
        """Affiliations written on actors (a person in an organisation), and the Security Council
        seats, permanent and elected (explainer/data/security_council.csv), of the states the site has."""
        site = self.site
        memberships = []
        for actor in _sorted(site.actors):
            for link in actor.links:
                target = site.actors.get(link.actor)
                if target is None or target.kind == "person":
                    continue
                membership: dict[str, Any] = {"id": f"{actor.id}--{link.actor}", "role": link.relation,
                                              "organization_id": link.actor}
                if actor.kind == "person":
                    membership["person_id"] = actor.id
                else:
                    membership["member"] = {"@type": "Organization", "id": actor.id}
                memberships.append(membership)
        council = _body_id("security-council")
        for code in sorted(PERMANENT_MEMBERS):
            actor_id = site.actor_by_code.get(code)
            if actor_id is not None:
                memberships.append({"id": f"{actor_id}--{council}", "role": "permanent member",
                                    "member": {"@type": "Organization", "id": actor_id},
                                    "organization_id": council, "start_date": "1945-10-24"})
        for term in council_terms():  # elected seats: two calendar years from 1 January
            actor_id = site.actor_by_code.get(term.iso3)
            if actor_id is not None:
                memberships.append({"id": f"{actor_id}--{council}-{term.first_year}", "role": "elected member",
                                    "member": {"@type": "Organization", "id": actor_id},
                                    "organization_id": council, "start_date": f"{term.first_year}-01-01",
                                    "end_date": f"{term.last_year}-12-31",
                                    "sources": [{"url": "https://www.un.org/securitycouncil/content/countries-elected-members",
                                                 "note": f"UN Security Council, Countries Elected Members of the "
                                                         f"Security Council; elected on {term.elected}"}]})
        return sorted(memberships, key=lambda membership: membership["id"])

    def _motion(self, vote: Vote) -> dict[str, Any]:
        motion: dict[str, Any] = {"id": f"motion-{vote.id}", "organization_id": _body_id(vote.body),
                                  "text": vote.title, "identifier": vote.draft or vote.resolution,
                                  "classification": "resolution", "date": vote.date.isoformat(),
                                  "requirement": _requirement(vote), "result": self._result(vote)}
        if vote.drafter:
            motion["creator_id"] = self.site.actor_by_code.get(vote.drafter, vote.drafter)
        return motion

    def _result(self, vote: Vote) -> str:
        """Popolo's pass or fail; a vetoed text failed."""
        outcome = self.site.outcomes.get((vote.id, None))
        return "pass" if (outcome.result if outcome else vote.result) == "adopted" else "fail"

    def _vote_event(self, vote: Vote) -> dict[str, Any]:
        counts = [{"option": POPOLO_OPTIONS[choice], "value": vote.tally.get(choice)}
                  for choice in ("yes", "no", "abstain", "absent") if vote.tally.get(choice) is not None]
        votes = [{"voter_id": self.site.actor_by_code.get(code, code), "option": POPOLO_OPTIONS[choice]}
                 for code, choice in sorted(self._member_codes(vote).items())]
        event: dict[str, Any] = {"id": vote.id, "organization_id": _body_id(vote.body),
                                 "motion_id": f"motion-{vote.id}", "identifier": vote.resolution,
                                 "start_date": vote.date.isoformat(), "result": self._result(vote),
                                 "counts": counts, "votes": votes,
                                 "sources": [{"url": self.page("vote", vote.id), "note": "page on this site"}]}
        if vote.source and vote.source.url:
            event["sources"].append({"url": vote.source.url, "note": vote.source.name})
        return event


def _sorted(items: dict[str, Any]) -> list[Any]:
    return [items[key] for key in sorted(items)]


def _body_id(body: str) -> str:
    return {"general-assembly": "un-general-assembly", "security-council": "un-security-council"}[body]


def _requirement(vote: Vote) -> str:
    """The body's rule, worded where the rules live (unrules.py)."""
    if vote.body == "security-council":
        return council_rule(vote.question or "substantive")
    return assembly_rule(vote.majority or "simple")
