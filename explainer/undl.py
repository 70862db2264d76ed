"""The UN Digital Library's voting data in its long shape (one row per member and vote): the one
description of its columns and vote codes, read by ``import-vote`` and written by the open data's
per-vote CSV, so that what the site exports imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping

COLUMNS: Mapping[str, tuple[str, ...]] = {
    "general-assembly": ("undl_id", "ms_code", "ms_name", "ms_vote", "date", "session", "resolution", "draft",
                         "committee_report", "meeting", "title", "agenda_title", "subjects", "vote_note",
                         "total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms", "undl_link"),
    "security-council": ("undl_id", "ms_code", "ms_name", "permanent_member", "ms_vote", "date", "resolution",
                         "draft", "meeting", "description", "agenda", "subjects", "vote_note", "total_yes",
                         "total_no", "total_abstentions", "total_non_voting", "total_ms", "modality", "undl_link"),
}
# ms_vote: Y, N, A, and X (or empty) for a member present that did not vote or was absent.
VOTE_CODES: Mapping[str, str] = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent"}
CODE_OF_VOTE: Mapping[str, str] = {choice: code for code, choice in VOTE_CODES.items()}
TOTAL_COLUMNS: Mapping[str, str] = {
    "total_yes": "yes", "total_no": "no", "total_abstentions": "abstain", "total_non_voting": "absent",
}
