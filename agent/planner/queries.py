"""The search words of a notes question ("what did Dana say about pricing?" -> "Dana pricing")."""

from __future__ import annotations

import re

from agent.planner.entities import AccountMatch, Catalog, mask_accounts

_QUERY_FILLER = re.compile(
    r"\b(what|did|does|do|has|have|had|say|said|says|mention|mentioned|mentioning|mentions|tell|told|us|me|about|"
    r"the|any|anything|notes?|on|in|find|search|for|please|can|you|show|call|calls|was|were|when|who|regarding|re|"
    r"at|a|an|of|brought|bring|up|raise|raised|talk|talked|think|from|them|they|their|there|it|its|where|my|our|"
    r"been|lately|recently|and|or|to|is|are|with|look|through|pull|get|see|all|i|we|that|this|these|those|"
    r"everything|something|anyone|everyone|ever|hmm+|hm+|um+|uh+|oh|ok|okay|so|well|hey)\b",
    re.IGNORECASE,
)


def note_query(text: str, match: AccountMatch | None, catalog: Catalog) -> str:
    """The content words of a notes question ("what did Dana say about pricing?" -> "Dana pricing"),
    without the account it is limited to (that goes in the ``account`` argument)."""
    if match is not None and match.ids:
        text = mask_accounts(text, match, catalog).replace("the account", " ")
    cleaned = _QUERY_FILLER.sub(" ", re.sub(r"[?!.,;:]", " ", text))
    return " ".join(cleaned.split())
