"""From one request (and the thread so far) to one tool call, or to one short question back.

The steps: a message naming a commitment (by id, or describing one only) acts on it (``records.py``); else find
the account the request names (or the one the thread was about), mask its name, put misspelt command words right
(``spelling.py``), score the intents (rules and exemplars, then a last-resort classifier, ``paraphrase.py``), and
settle the tool with a few general rules of conversation:

- a short follow-up that only changes a detail ("and for Halcyon?", "just my own", "over the last 60
  days?") repeats the thread's last answered request with that detail changed, or completes the request the
  last turn asked about; a writing tool is never repeated on a guess;
- a question on method or meaning ("how should I...", "what is X") goes to the guidance unless it names an
  account (``questions.py``);
- the matrix asked about one named account is that account's quadrant; a question about a colleague's book is
  that book (``people.py``);
- an account tool with no account, with several that fit, or with a name that is none of the user's accounts,
  gets one short question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agent.planner.decisions import Ask, ThreadMemory, ToolDecision
from agent.planner.entities import (
    AccountMatch,
    Catalog,
    explicit_scope,
    explicit_status,
    find_accounts,
    find_window_days,
    mask_accounts,
    refers_back,
    says_my_own,
    unknown_name,
)
from agent.planner.form_request import form_request
from agent.planner.intents import (
    OTHER,
    ExemplarIndex,
    IntentScores,
    PlannerTools,
    classify,
    headed_by_meeting,
    is_method_question,
    looks_like_note,
    planner_tools,
    rule_scores,
)
from agent.planner.meeting_record import records_meeting
from agent.planner.paraphrase import nearest_tool
from agent.planner.people import find_owner, names_colleague, person_account, wants_customer_side
from agent.planner.queries import note_query
from agent.planner.records import (
    described_choice,
    described_commitments,
    is_direct_command,
    record_ids,
    record_request,
    record_tool,
)
from agent.planner.spelling import command_vocabulary, correct_commands
from agent.understanding.message_kind import classify_message
from tools.registry import PlannerHints

# An intent found by similarity alone must be at least this close to its exemplars, and closer than
# the nearest request that is not about key accounts at all.
SIM_ACCEPT = 0.45
SIM_MARGIN_OVER_OTHER = 0.05
# A message the message-kind classifier reads as a report of what happened, at least this surely, is a note
# to log, whatever tool words it carries ("the QBR went well", "no commitments made").
NOTE_CONFIDENCE = 0.5
# The last-resort classifier overrules a choice made on exemplar similarity alone when at least this sure.
OVERRULE = 0.6
# A question naming a colleague is about their book unless an off-topic request is this much nearer ("reset
# Tom's password").
BOOK_MARGIN = 0.1
# A message that opens as a question ("anyone at X I haven't talked to in ages") is a note only when very sure.
QUESTION_NOTE_CONFIDENCE = 0.9
_ASKS = re.compile(r"^\W*(?:(?:hmm+|hm+|um+|uh+|oh|ok|okay|so|right|well|hey|quick q(?:uestion)?)\b\W+)*"
                   r"(who|whom|whose|whos|what|whats|which|when|where|why|how|hows|any|anyone|anybody|anything|"
                   r"is there|are there|do|does|did|can|could|should|would|will|has|have|is|are)\b", re.IGNORECASE)
_SHORT = 6  # words: a message this short may lean on the thread for what it leaves out
_FOLLOW_UP = re.compile(r"^\W*(and|what about|how about|same for|same thing for|also|now|ok and|and for|"
                        r"then|likewise|ditto|what of)\b", re.IGNORECASE)
_PLURAL_ACCOUNTS = re.compile(r"\b(accounts|customers|clients|portfolio|book)\b", re.IGNORECASE)
_SOCIAL = re.compile(r"^\W*(hi|hello|hey|thanks|thank you|cheers|good (morning|afternoon|evening)|bye)\W*$",
                     re.IGNORECASE)

CAPABILITIES = (
    "I can show one account at a glance, score it or show your KAM matrix, say which quadrant an account is in, "
    "draft an account plan, "
    "prep a QBR brief, flag stakeholders who have gone dark, find drifting accounts, list overdue or upcoming "
    "commitments (and mark one done, snooze or reassign it by its id), search call notes, answer questions on "
    "running key accounts, and log a meeting note "
    "(just tell me what happened)."
)


def _default_scope(catalog: Catalog) -> str:
    return {"manager": "team", "admin": "all"}.get(catalog.user.role, "mine")


def _scope(text: str, catalog: Catalog, inherited: str | None = None) -> str:
    scope = explicit_scope(text) or inherited or _default_scope(catalog)
    if scope == "mine" and catalog.user.role in ("manager", "admin") and not says_my_own(text):
        return _default_scope(catalog)  # a manager's "my accounts" means the team's, unless they say "my own"
    return scope


def _names(catalog: Catalog, ids: tuple[str, ...]) -> str:
    names = sorted(a.name for a in catalog.accounts if a.id in ids)
    if len(names) > 4:
        return ", ".join(names[:4]) + " or another"
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


@dataclass(frozen=True)
class _Slots:
    """The details a request states, apart from what it wants done."""

    account: AccountMatch
    scope: str | None
    status: str | None
    window: int | None

    @property
    def any(self) -> bool:
        return bool(self.account.ids) or any(v is not None for v in (self.scope, self.status, self.window))


def _confident(intents: IntentScores, tool: str) -> bool:
    """The intent rests on a rule, or on exemplars close enough and closer than anything off-topic."""
    if intents.rules.get(tool, 0.0) >= 1.0:
        return True
    sim = intents.similarity.get(tool, 0.0)
    return sim >= SIM_ACCEPT and sim >= intents.similarity.get(OTHER, 0.0) + SIM_MARGIN_OVER_OTHER


def _best_tool(intents: IntentScores) -> str | None:
    return next((t for t in intents.ranked() if t != OTHER), None)


def _is_follow_up(text: str, intents: IntentScores, slots: _Slots, memory: ThreadMemory) -> bool:
    """A message that only changes a detail of the thread's last request."""
    if not (memory.last_tool or (memory.unanswered and memory.asked_tool)):
        return False
    strong = {t for t, w in intents.rules.items() if w >= 2.0}
    if _FOLLOW_UP.search(text) and not (strong - {memory.last_tool}):
        return True
    return len(text.split()) <= _SHORT and slots.any and not strong


def _choose(
    text: str, intents: IntentScores, slots: _Slots, memory: ThreadMemory, tools: PlannerTools
) -> tuple[str | None, bool]:
    """(the tool, whether it repeats the thread's last request)."""
    if _is_follow_up(text, intents, slots, memory):
        if memory.unanswered and memory.asked_tool:
            return memory.asked_tool, True  # the request the last turn asked about, now completed
        return memory.last_tool, True
    tool = _best_tool(intents)
    if tool is None or not _confident(intents, tool):
        guess = nearest_tool(text, tools)  # a paraphrase in none of the tools' usual words
        if guess is None or not guess.sure:
            return None, False
        tool = guess.tool
    elif not intents.rules.get(tool) and not intents.method_question:
        guess = nearest_tool(text, tools)  # similarity alone is lexical: a sure classifier overrules it
        if guess is not None and guess.sure and guess.probability >= OVERRULE:
            tool = guess.tool
    named = bool(slots.account.ids)
    method_tool = next((name for name, hints in tools.items() if hints.method), None)
    if method_tool and intents.method_question and not named:
        return method_tool, False
    if tool == method_tool and named:
        # "how often should I meet <account>?" is about that account's data when another tool fits too.
        other = next((t for t in intents.ranked() if t not in (method_tool, OTHER) and intents.rules.get(t)), None)
        if other is not None:
            tool = other
    lead = _lead_tool(text, tools)
    if lead and lead != tool and intents.rules.get(lead) and not intents.method_question:
        tool = lead  # "could you score X on the matrix criteria": the verb asked for decides, not a later word
    hints = tools.get(tool, PlannerHints())
    if hints.one_account and slots.account.unique and not slots.scope and not _PLURAL_ACCOUNTS.search(text):
        tool = hints.one_account  # where one account sits in the matrix is its quadrant
    elif hints.many_accounts and not named and _PLURAL_ACCOUNTS.search(text):
        tool = hints.many_accounts  # the quadrants of many accounts are the matrix
    return tool, False


def _described(text: str, catalog: Catalog, tools: PlannerTools, memory: ThreadMemory) -> list[str]:
    """The open commitments a short command without an id describes ("the licence quote is done") equally well, when
    its verb names an action on one: one to act on, or several to ask about."""
    if not catalog.commitments or not is_direct_command(text) or looks_like_note(text):
        return []
    sentences = _SENTENCE_END.split(text.strip())
    if len(sentences) > 1 and not any(_ORDER.match(_POLITE.sub("", s)) for s in sentences) or _NEGATED.search(text):
        # A command is one sentence, or has one that gives the order ("..., I sent them already. Close it please."),
        # and "still hasn't sent the order form" reports, it does not act.
        return []
    listed = bool(memory.last_tool and "status" in tools.get(memory.last_tool, PlannerHints()).slots)
    if not _ORDER.search(text) and not listed and classify_message(text).kind == "note":
        # "Tariq sent the order form today" is a note to log; "... mark it done" is an order, and so is a report
        # on one of the commitments the thread just listed.
        return []
    if record_tool(correct_commands(text, catalog, tools), tools) is None:
        return []
    return described_commitments(text, catalog, memory.last_account)


_ORDER = re.compile(r"\b(mark|close|tick|check off|cross off|snooze|push|remind me|reassign|hand|give|move|"
                    r"postpone|defer|bump|hold off|pause|mute)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_NEGATED = re.compile(r"\b(not|never|no longer|still|yet)\b|n't\b|n’t\b", re.IGNORECASE)
_POLITE = re.compile(r"^\W*(?:(?:hi|hey|hello|ok|okay|so|quick one|morning)\b\W*)*(?:(?:could|can|would|will) you\s+|"
                     r"please\s+|pls\s+|kindly\s+|i need you to\s+|go ahead and\s+)*", re.IGNORECASE)


def _lead_tool(text: str, tools: PlannerTools) -> str | None:
    """The one tool whose strong word rules match the request's opening verb phrase (its first three words after
    any greeting or "could you please"); ``None`` when none or several do."""
    opening = " ".join(_POLITE.sub("", text).split()[:3]).lower()
    if _ASKS.match(opening):
        return None  # a question, not a command: its verb is not an order ("are we over-scoring?")
    fired = [name for name, weight in rule_scores(opening, tools).items() if weight >= 2.0]
    return fired[0] if len(fired) == 1 else None


def _leading_question(text: str, tools: PlannerTools) -> str | None:
    """The opening question of a message that goes on with its context ("is there anything in my notes about X?
    Lucas mentioned them in the QBR"): the question is the request; ``None`` when the message is not one."""
    tail = _TRAILING_ASK.search(text.strip())
    if tail and is_method_question(tail.group("q")):
        return tail.group("q")  # "putting the Lumen plan together tmrw - quick q, what counts as an exec sponsor?"
    sentences = _SENTENCE_END.split(text.strip())
    first = sentences[0]
    if len(sentences) < 2 or not (first.endswith("?") and _ASKS.match(first)):
        return None
    rest = " ".join(sentences[1:])
    # a statement of context names no tool's words: "I have a QBR with them tomorrow" says what the answer is for
    tells = _TELLS.match(rest) and not rule_scores(rest.lower(), tools)
    if classify_message(first).kind == "request" and (tells or classify_message(rest).kind != "request"):
        return first  # the rest tells, it does not ask ("how's Northwind looking? score it" asks twice)
    return None


# A question that closes a message after its context: "... tmrw - quick q, what counts as an exec sponsor?"
_TRAILING_ASK = re.compile(r"(?:[.;!]|\s[-–—]|\bquick\s+q(?:uestion)?\b|\bq\s*:|\bbtw\b)[\s,:]*"
                           r"(?P<q>[^.;!?\-–—]*\?)\s*$", re.IGNORECASE)


# Context after a question: statements that open with their subject and ask nothing ("I am taking a call with their
# CFO in one hour."), unless the subject says what it wants ("I need the plan too").
_TELLS = re.compile(r"^\W*(?:i|i'm|i’m|im|we|we're|we’re|they|they're|he|she|he's|she's|it's|my|our|their)\b"
                    r"(?!.*\?\s*$)(?!\s+(?:'d|would|need|want|also need|also want)\b)(?!'d\b)", re.IGNORECASE)


def _note_tool(text: str, tools: PlannerTools, catalog: Catalog) -> str | None:
    """The tool that logs a narrative, when the message-kind classifier reads ``text`` as a note surely enough."""
    note_tool = next((name for name, hints in tools.items() if hints.narrative), None)
    if note_tool is None:
        return None
    if _PLEASE_DO.search(text) and not _LOG_ASK.search(text) and not _ACTION_ITEMS.search(text):
        return None  # "Agenda item: QBR with Silverline next week. Please prepare the brief.": asked of us
    if (_ACTION_ITEMS.search(text) or headed_by_meeting(text)) and not text.rstrip().endswith("?"):
        return note_tool  # "... -> me: send Ian the quote 27/11", "Acme: call with Dana, ...": minutes of a meeting
    if _LOG_ASK.search(text):
        return note_tool  # "Can you log a call I had on Friday with ...?", "You'll want to log this: ..."
    if records_meeting(text, catalog):
        return note_tool  # "Kingsley QBR 18/11 - Anton, Hugo B, Ryan": the customer's people at a meeting gone by
    if (_ASKS.match(text) or text.rstrip().endswith("?")) and is_method_question(text):
        return None  # "new hire asked me what X means. quick definition?": a story that ends by asking
    kind = classify_message(text)
    needed = QUESTION_NOTE_CONFIDENCE if _ASKS.match(text) else NOTE_CONFIDENCE
    return note_tool if kind.kind == "note" and kind.confidence >= needed else None


# Asked, in so many words, to log a meeting: "can you log a call I had ...?", "please record that ...", "log this
# against Halcyon: ...", "You can log this one quickly: ...". What follows is the note.
_LOG_ASK = re.compile(r"^\W*(?:(?:hi|hey|ok|so)\W+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|please\s+|"
                      r"pls\s+|you(?:['’]ll|\s+will|\s+can|\s+may|\s+might)\s+(?:want\s+to\s+)?|i\s+(?:need|want)\s+(?:you\s+)?to\s+)?"
                      r"(?:log|record|note\s+down|jot\s+down|capture|file)\s+(?:(?:this|that|a|an|my|the)\b|(?=\w+\s+(?:call|"
                      r"meeting|lunch|visit|chat|email)\b))", re.IGNORECASE)
# A sentence that asks the assistant to do something other than log: "Please prepare the brief.", "can you pull ..."
_PLEASE_DO = re.compile(r"(?:^|[.!?\n]\s*)(?:please|pls|can\s+you|could\s+you|would\s+you)\s+(?!(?:log|record|note|jot|"
                        r"capture|file|add|save|store)\b)[a-z]+", re.IGNORECASE)
# An action list in a message (a heading or an item given to "me" / "us"): what minutes of a meeting have, and a
# request never does.
_ACTION_ITEMS = re.compile(r"(?:^|\n|(?:->|→|➡️?|>>|=>|[.;])[ \t]*)[ \t]*(?:[-*•][ \t]*)?(?:(?:me|us)[ \t]*[:–]|"
                           r"(?:actions?|action\s+items?|next\s+steps?|to-?dos?|follow[- ]ups?)[ \t]*:[ \t]*\S)",
                           re.IGNORECASE)


def decide(
    text: str,
    catalog: Catalog,
    memory: ThreadMemory,
    exemplars: ExemplarIndex | None = None,
    tools: PlannerTools | None = None,
) -> ToolDecision | Ask:
    """The one tool call that answers ``text``, or a question when something needed is missing.

    A pure function of the request, the user's catalogue (their visible accounts and people), the thread's
    memory and the tools' planner hints (by default the catalogue's): it reads no store and no clock.
    """
    tools = tools if tools is not None else planner_tools()
    text = text.strip()
    text = form_request(text) or text  # "Field: quadrant. Account: Lumen. Action: assign." -> "assign quadrant Lumen"
    if record_ids(text, tools):
        return record_request(correct_commands(text, catalog, tools), catalog, tools)  # never a note
    described = _described(text, catalog, tools, memory)
    if len(described) == 1:
        return record_request(correct_commands(text, catalog, tools), catalog, tools, described)
    if described:  # "hand the brightwater workshop over to Grace" with two workshops: which one, by its id
        return Ask(described_choice(described, catalog))
    tools = {name: hints for name, hints in tools.items() if not hints.record_id}  # they act only on an id
    if not text:
        return Ask("What would you like to know? " + CAPABILITIES)
    if _SOCIAL.match(text):
        return Ask("Hello! " + CAPABILITIES)
    match = find_accounts(text, catalog)
    masked = mask_accounts(text, match, catalog)
    read = correct_commands(masked, catalog, tools)  # "scoer the account" -> "score the account"
    slots = _Slots(match, explicit_scope(read), explicit_status(read), find_window_days(read))
    question = _leading_question(text, tools)
    # "is there anything in my notes about X? Lucas mentioned them": a question, then its context, is no note
    asked_to_log = question is not None and _LOG_ASK.search(text) is not None  # "can you log a call I had ...?"
    tool, repeat = (None if question and not asked_to_log else _note_tool(text, tools, catalog)), False
    owner = find_owner(text, catalog) if any("owner" in h.slots for h in tools.values()) else None
    if tool is None and owner is None and catalog.user.role not in ("manager", "admin") and not match.ids \
            and names_colleague(text, catalog):
        return Ask("I can show you your own accounts; a colleague's book is for them or your manager to look at.")
    if tool is None:
        asked = read if question is None else correct_commands(mask_accounts(question, match, catalog), catalog, tools)
        intents = classify(asked, exemplars, tools)
        tool, repeat = _choose(asked, intents, slots, memory, tools)
        on_topic = max((v for k, v in intents.similarity.items() if k != OTHER), default=1.0) > \
            intents.similarity.get(OTHER, 0.0) - BOOK_MARGIN
        if owner and on_topic and (tool is None or "owner" not in tools[tool].slots) and not match.ids:
            # "how are Jordan's accounts doing?": a question about one rep's book is answered from their book
            strong = {t for t, w in intents.rules.items() if w >= 2.0 and "owner" not in tools[t].slots}
            tool = next((n for n, h in tools.items() if h.book), tool) if not strong else tool
    if tool is None:
        return Ask("I'm not sure what you need. " + CAPABILITIES)
    if tool not in tools:
        return Ask(CAPABILITIES)
    hints = tools[tool]
    if "account" in hints.slots and not hints.narrative and "query" not in hints.slots:
        unknown = unknown_name(text, catalog, command_vocabulary(tools), match, required=bool(hints.ask_account))
        if unknown:  # never run on all accounts, nor on another account that shares a trade word
            # The name is not echoed: the reply neither confirms nor denies an account the user may not see.
            return Ask("I can't find that account among yours. Which account do you mean?", tool)
    if repeat and hints.writes and memory.unanswered and tool != memory.asked_tool:
        # A follow-up after a question or a refusal repeats a writing request only when that request was asked.
        what = f" for {_names(catalog, match.ids)}" if match.ids else ""
        return Ask(f"What would you like me to do{what}? Say it in full (e.g. \"{hints.ask_account or 'run'} ...\").")
    inherited = memory.last_args if repeat or (tool == memory.last_tool and len(text.split()) <= _SHORT) else {}

    account: str | None = None
    if len(match.ids) > 1 and "account" in hints.slots and not hints.narrative:
        return Ask(f"Which account do you mean: {_names(catalog, match.ids)}?", tool)
    if match.unique:
        account = match.unique
    elif refers_back(text) or (repeat and hints.ask_account):
        account = memory.last_account
    elif "query" in hints.slots and not match.ids:
        account = person_account(text, catalog)  # "what did Dana say about X": Dana's account
    if hints.ask_account and account is None:
        if memory.last_account and len(text.split()) <= _SHORT - 1:
            account = memory.last_account  # "now draft the plan" right after a QBR on an account
        else:
            return Ask(f"Which account should I {hints.ask_account}?", tool)

    args: dict[str, Any] = {}
    for slot in hints.slots:
        if slot == "text":
            args["text"] = text
        elif slot == "question":
            args["question"] = text
        elif slot == "account" and (account is not None or hints.ask_account or "owner" not in hints.slots):
            args["account"] = account  # a list that may be limited to one account leaves it out when not
        elif slot == "scope":
            args["scope"] = _scope(text, catalog, inherited.get("scope"))
        elif slot == "window_days":
            window = slots.window if slots.window is not None else inherited.get("window_days")
            if window is not None:
                args["window_days"] = window
        elif slot == "status":
            args["status"] = slots.status or inherited.get("status") or "open"
        elif slot == "owner" and (owner or inherited.get("owner")):
            args["owner"] = owner or inherited["owner"]
        elif slot == "side" and wants_customer_side(text):
            args["side"] = "customer"
        elif slot == "query":
            query = note_query(question or text, match if account == match.unique else None, catalog)
            if repeat and not query and inherited.get("query"):
                query = str(inherited["query"])
            args["query"] = query or text
    return ToolDecision(tool, args)
