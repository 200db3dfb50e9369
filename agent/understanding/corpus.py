"""A generated training corpus for the message-kind classifier: templates x vocabularies x noise.

Four kinds of message, many hundreds of each:

- ``note``: a report of what happened (first- or third-person narrative, past tense, people and their mood,
  promises, departures and new hires, "Account: X" headers, bullets, Slack shorthand), including notes that
  carry a tool's word ("the QBR went well", "no commitments made", "they mentioned a competitor");
- ``request``: something asked of the agent (a question or an imperative, any tool, typos and shorthand);
- ``reply``: an answer to the thread's pending proposal or question (confirm, cancel, a correction, a name);
- ``small_talk``: greetings, thanks and anything else with no task in it.

``generate(seed, per_class)`` is deterministic for a seed; a differently seeded corpus is the held-out set.
``python -m agent.understanding.corpus`` prints a few examples of each kind.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from agent.understanding import vocabulary as v
from tools.notes.reply_act import compose as compose_reply

KINDS = ("note", "request", "reply", "small_talk")


class _Fill:
    """Draws the slots of one message from the vocabularies."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first, self.first2 = rng.sample(v.FIRST, 2)
        self.last = rng.choice(v.LAST)
        self.co = rng.choice(v.COMPANY_HEAD) + rng.choice(v.COMPANY_TAIL)

    def pick(self, options: tuple[str, ...]) -> str:
        return self.rng.choice(options)

    def fill(self, template: str) -> str:
        values = {
            "first": self.first, "first2": self.first2, "last": self.last, "full": f"{self.first} {self.last}",
            "co": self.co, "title": self.pick(v.TITLES), "topic": self.pick(v.TOPICS),
            "comp": self.pick(v.COMPETITORS),
            "meeting": self.pick(v.MEETINGS), "past": self.pick(v.PAST_DATES) or "today",
            "future": self.pick(v.FUTURE_DATES) or "Friday", "rep": self.pick(v.FIRST),
            "n": str(self.rng.randint(10, 99)),
            "toolword": self.pick(v.TOOL_WORDS),
        }
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)

    def person(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return f"{self.first} {self.last}"
        if r < 0.55:
            return f"{self.first} ({self.pick(v.TITLES)})"
        if r < 0.75:
            return self.first
        return self.rng.choice(("their ", "the ")) + self.pick(v.TITLES)

    def mood(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return f"{self.pick(v.MOOD_POS)} {self.pick(v.TOPICS)}"
        if r < 0.8:
            return f"{self.pick(v.MOOD_NEG)} {self.pick(v.TOPICS)}"
        return self.fill(self.pick(v.MOOD_MIXED))

    def promise(self) -> str:
        ours = self.fill(self.pick(v.OUR_ACTIONS))
        theirs = self.fill(self.pick(v.THEIR_ACTIONS))
        due = self.pick(v.FUTURE_DATES)
        due = f" {due}" if due else ""
        forms = (
            f"I'll {ours}{due}", f"we will {ours}{due}", f"promised to {ours}{due}", f"{ours.capitalize()}{due}",
            f"I promised to {ours}{due}", f"next step: {ours}{due}", f"on me: {ours}{due}",
            f"{self.first} to {theirs}{due}",
            f"she'll {theirs}{due}", f"they will {theirs}{due}", f"{self.first} agreed to {theirs}{due}",
            f"sending the quote{due}", f"follow up{due}", f"need to {ours}{due}", f"AI: {ours}{due}",
            "no commitments made", "no next steps yet", "nothing promised either way",
        )
        return self.pick(forms)

    def change(self) -> str:
        forms = (
            f"{self.first} {self.last} has left", f"{self.first} is moving on at the end of the month",
            f"{self.first} was promoted to {self.pick(v.TITLES)}", f"{self.first} is now acting {self.pick(v.TITLES)}",
            f"new {self.pick(v.TITLES)} is {self.first2} {self.last}", f"{self.first} resigned last week",
            f"{self.first2} {self.last} joined as {self.pick(v.TITLES)}", f"{self.first} retired",
            f"{self.first} is no longer with {self.co}", f"they hired a new {self.pick(v.TITLES)}",
        )
        return self.pick(forms)


def _note(f: _Fill) -> str:
    meeting, past, co, person = f.pick(v.MEETINGS), f.pick(v.PAST_DATES), f.co, f.person()
    when = f" {past}" if past else ""
    openers = (
        f"Met {person} at {co}{when}", f"{meeting.capitalize()} with {person} at {co}{when}",
        f"Spoke to {person} at {co}{when}", f"Had a {meeting} with {co}{when}", f"Just got off a {meeting} with {co}",
        f"{co} {meeting}{when}", f"Caught up with {person} from {co}{when}", f"{person} joined the {meeting}{when}",
        f"The {meeting} with {co} went well", f"{f.first} and I met {co}{when}", f"Quick {meeting} w/ {co}{when}",
        f"{f.change()}", f"Visited {co}{when}", f"Lunch with {person}{when}", f"We presented to {co}{when}",
        f"{co}: {meeting}{when}", f"Ran the {meeting} with {co}{when}", f"{person} called{when}",
        f"The {f.pick(v.TOOL_WORDS).removeprefix('the ')} with {co} happened{when}",
        f"Walked {person} through {f.pick(v.TOPICS)}{when}", f"Demoed the new module to {co}{when}",
        f"{co}: {f.first} {f.mood()}", f"{f.first} at {co} {f.mood()}", f"{f.first} from {co} rang{when}",
        f"{co} - {f.first} mentioned {f.pick(v.TOPICS)}", f"{co} {meeting} with {person}{when}",
        f"{meeting} w/ {f.first} @ {co}", f"{person} at {co}: {f.mood()}",
    )
    middles = (
        f"{person} {f.mood()}", f"she {f.mood()}", f"he {f.mood()}", f"they {f.mood()}", f"{f.first} {f.mood()}",
        f"they mentioned a competitor ({f.pick(v.COMPETITORS)})", f"{f.change()}", f"{f.first2} was absent",
        f"discussed {f.pick(v.TOPICS)} and {f.pick(v.TOPICS)}", f"the {f.pick(MEETING_EVENTS)}",
        f"{f.first} said {f.pick(v.TOPICS)} is on hold", "all good", "overall positive",
        f"we went over {f.pick(v.TOOL_WORDS)}", f"they are evaluating {f.pick(v.COMPETITORS)}",
        f"{f.first} asked about {f.pick(v.TOPICS)}", f"need to loop in {f.first2}", f"cc {f.first2}",
        f"{f.first2} {f.last} from procurement dialled in", f"{f.first} confirmed the budget",
        f"{f.pick(v.TOOL_WORDS).capitalize()} went fine",
        f"{f.first} mentioned {f.pick(v.COMPETITORS)} is pitching them",
        f"{f.first} mentioned {f.pick(v.TOPICS)}", f"{f.pick(('she', 'he'))}'s wary of {f.pick(v.TOPICS)}",
        f"{f.pick(('she', 'he', 'they'))} brought up {f.pick(v.TOOL_WORDS)}",
        f"{f.first} said the score seemed fair",
    )
    parts = [f.pick(openers)] + [f.pick(middles) for _ in range(f.rng.randint(0, 3))]
    if f.rng.random() < 0.7:
        parts.append(f.promise())
    if f.rng.random() < 0.12:
        parts[0] = f.pick(("log: ", "note: ", "fyi ", "heads up: ", "update: ", "pls log: ", "log this - ",
                           f"log a note for {co}: ", f"note for {co}: ", f"log this for {co} - ")) + parts[0]
    form = f.rng.random()
    if form < 0.2:  # bullets, often under a header
        header = f.pick((f"Account: {co}", f"Account - {co}", f"{co}", f"{co} / {meeting}", f"Re {co}", ""))
        lines = [header] if header else []
        lines += [f.pick(("- ", "* ", "• ", "")) + p for p in parts]
        return "\n".join(lines)
    if form < 0.3:
        return f"Account: {co}. " + ". ".join(parts)
    joiner = f.pick((". ", ", ", "; ", " - ", " and ", ". "))
    return joiner.join(parts)


MEETING_EVENTS = (
    "sync broke again Tuesday", "integration is still flaky", "pilot wrapped last month", "invoice was wrong again",
    "outage last week hurt", "rollout slipped a week", "renewal is in March", "board meets next month",
)


def _request(f: _Fill) -> str:
    r = f.rng.random()
    if r < 0.15:
        return f.fill(f.pick(v.FRAGMENTS))
    if r < 0.3:
        return f.fill(f.pick(v.CONTEXTS)) + f.pick((", ", " - ", ". ", "; ", " — ")) + f.pick(v.CONTEXT_ASKS)
    if r < 0.4:
        ask = f.fill(f.pick(v.COMMANDS[f.pick(tuple(v.COMMANDS))]))
        return f.fill(f.pick(v.PAST_CONTEXTS)) + f.pick((", ", " - ", ". ", "; ", ", so ", ". can you ")) + ask
    kind = f.pick(tuple(v.COMMANDS))
    text = f.fill(f.pick(v.COMMANDS[kind]))
    prefix = f.pick(("", "", "", "can you ", "please ", "pls ", "hey, ", "quick one: ", "could you ", "I need to know ",
                     "", "ok now ", "and ", "remind me "))
    text = prefix + text
    if re.match(r"(what|which|who|how|is|did|any|where|can|could)\b", text) or f.rng.random() < 0.3:
        text += f.pick(("?", "?", "", "??", " ?"))
    return text


def _reply(f: _Fill) -> str:
    r = f.rng.random()
    if r < 0.3:  # "yes, I suppose that's right, go ahead", "That's correct. Store it."
        return f.pick(v.CONFIRM) if r < 0.15 else compose_reply(f.rng, "assent", parts=False)
    if r < 0.45:
        return f.pick(v.CANCEL) if r < 0.38 else compose_reply(f.rng, "refuse", parts=False)
    if r < 0.8:
        return f.fill(f.pick(v.CORRECTIONS))
    return f.fill(f.pick(v.ANSWERS))


def _small_talk(f: _Fill) -> str:
    r = f.rng.random()
    if r < 0.7:
        text = f.pick(v.SMALL_TALK)
    elif r < 0.85:  # "thanks, you've been a great help today"
        praise = f.pick(v.PRAISE) + (f" {f.pick(v.WHEN)}" if f.rng.random() < 0.5 else "")
        text = f"{f.pick(v.THANKS)}, {praise}" if f.rng.random() < 0.6 else praise
    else:  # "perfect, thanks - that's all for now"
        text = f"{f.pick(v.THANKS)}{f.pick((', ', ' - ', '. ', '! '))}{f.pick(v.SIGN_OFFS)}" \
            if f.rng.random() < 0.7 else f.pick(v.SIGN_OFFS)
    if f.rng.random() < 0.3:
        text += f.pick((" :)", "!", " 🙂", "!!", " mate", f" {f.first}"))
    return text


_MAKERS: dict[str, Callable[[_Fill], str]] = {"note": _note, "request": _request, "reply": _reply,
                                               "small_talk": _small_talk}


def _noise(text: str, rng: random.Random) -> str:
    """How people type between meetings: lower case, dropped punctuation, shorthand, a typo."""
    if rng.random() < 0.3:
        text = text.lower()
    if rng.random() < 0.2:
        text = re.sub(r"[.,;]", "", text)
    if rng.random() < 0.25:
        for full, short in (("with", "w/"), ("tomorrow", "tmrw"), ("because", "bc"), ("meeting", "mtg"),
                            ("about", "abt"), ("please", "pls"), ("you", "u"), ("and", "&")):
            if rng.random() < 0.5:
                text = re.sub(rf"\b{full}\b", short, text)
    if rng.random() < 0.2 and len(text) > 6:
        i = rng.randrange(1, len(text) - 2)
        if text[i].isalpha() and text[i + 1].isalpha():
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swapped letters
    return text


def generate(seed: int, per_class: int = 800) -> list[tuple[str, str]]:
    """``per_class`` distinct (text, kind) examples of each kind, deterministic for ``seed``."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for kind, make in _MAKERS.items():
        seen: set[str] = set()
        tries = 0
        while len(seen) < per_class and tries < per_class * 30:
            tries += 1
            text = _noise(make(_Fill(rng)), rng).strip()
            if text and text not in seen:
                seen.add(text)
                out.append((text, kind))
    rng.shuffle(out)
    return out


if __name__ == "__main__":
    sample = generate(seed=7, per_class=5)
    for text, kind in sorted(sample, key=lambda x: x[1]):
        print(f"{kind:<11} {text!r}")
