"""The mood words of a meeting note, by sign and strength: -2 / -1 / +1 / +2 for the person they are about.

``sentiment.py`` decides whom a word is about and what turns it round ("not happy", "less enthusiastic"); the words
themselves live here, in the registers reps write in (plain, British, Irish, Singaporean, Slack: "chuffed", "salty",
"cagey", "giving out about", "shiok").
"""

from __future__ import annotations

import re

NEGATIVE_2 = (
    "furious", "angry", "livid", "irate", "fuming", "hostile", "threatened to leave", "threatened to churn",
    "threatening to leave", "threatened to cancel", "threatened to escalate", "threatening to escalate",
    "threatened to walk", "escalated", "very unhappy", "really unhappy",
)
NEGATIVE_1 = (
    "worried", "worries", "worry", "concerned", "concerns", "concern", "frustrated", "frustration", "unhappy",
    "annoyed", "skeptical", "sceptical", "doubtful", "hesitant",
    "reluctant", "nervous", "disappointed", "upset", "lukewarm", "complained", "complaining", "complain", "complains",
    "questioning",
    "critical", "resistant", "objected", "unconvinced", "negative", "irritated", "wary", "displeased", "cold",
    "questioned", "raised concerns", "not convinced", "dissatisfied", "impatient", "uneasy", "tense", "defensive",
    "aggressive", "combative", "dismissive", "unimpressed", "underwhelmed", "guarded", "annoyance", "disappointing",
    "grumpy", "cranky", "irritable", "fed up", "cross", "testy", "snippy", "prickly", "short with us", "not thrilled",
    "unhelpful", "sour", "distrustful", "suspicious", "let down", "grumbling", "grumbled", "moaned", "moaning",
    "bad mood", "foul mood", "cagey", "cagy", "salty", "cool on", "cool about", "cool towards", "cool toward",
    "evasive", "distracted", "disengaged", "standoffish", "stand-offish", "curt", "abrupt", "short-tempered",
    "exasperated", "peeved", "very demanding", "really demanding", "sore about", "sore abt", "sore over", "still sore",
    "miffed", "heated", "mediocre", "hectic about", "hectic over", "gatvol",
    # regional and young people's slang: "crook on the pricing", "ropeable", "a bit suss on us", "cheesed off"
    "crook on", "crook about", "ropeable", "dirty on us", "suss on", "sus on", "a bit suss", "kinda sus", "hacked off",
    "cheesed off", "brassed off", "narked", "gutted", "a hater", "kind of a hater", "not a fan", "pressed about",
    "pressed abt", "giving out about", "giving out", "raging", "scunnered", "sian", "dead on arrival",
    # the Spanish and German reps mix in
    "enfadado", "enfadada", "molesto", "molesta", "frustrado", "frustrada", "preocupado", "preocupada", "furioso",
    "furiosa", "verärgert", "sauer", "unzufrieden", "besorgt", "enojado", "enojada",
)
POSITIVE_2 = (
    "loved", "loves", "excited", "thrilled", "delighted", "enthusiastic", "ecstatic", "raving", "big fan",
    "very happy", "really happy", "very positive", "very keen", "really keen", "biggest fan", "over the moon",
)
POSITIVE_1 = (
    "happy", "pleased", "keen", "interested", "positive", "supportive", "liked", "likes", "impressed", "satisfied",
    "receptive", "encouraged", "optimistic", "warm", "on board", "glad", "appreciative", "grateful", "thanked",
    "bought in", "open to", "eager", "confident", "relieved", "upbeat", "engaged", "praised", "championing",
    "friendly", "constructive", "cooperative", "bullish", "enthused", "chuffed", "stoked", "a fan", "fan of", "our fan",
    "appreciated", "welcomed", "content", "backed us", "backed the", "backed our", "warmer", "understanding",
    "good mood", "great mood", "good spirits", "high spirits", "supported", "strong support", "full support",
    "cheerful", "lovely", "all smiles", "smiling", "onside", "on side", "all for it", "spoke highly",
    "good things to say", "buzzing", "very open", "really open", "forthcoming",
    "responded well", "in a good place", "complimentary", "charmed", "animated", "buoyant", "won over",
    "contento", "contenta", "encantado", "encantada", "entusiasmado", "entusiasmada", "feliz", "zufrieden",
    "positivo", "positiva", "satisfecho", "satisfecha",
    "begeistert",
    # regional and young people's slang: "she's a gun", "a ripper", "keen as", "rapt", "our biggest stan", "goated"
    "a gun", "a ripper", "keen as", "rapt", "hyped", "vibing", "a stan", "our stan", "biggest stan", "goated",
    "dead keen", "well chuffed", "fair play to", "in great form", "in good form", "in flying form", "in better form",
    "sound as ever", "was sound", "were sound", "dead on", "shiok", "damn steady",
    # South African: "was lekker", "kif", "stoked"
    "lekker", "kif", "chuffed to bits",
    # corporate: "super aligned", "fully aligned with us"
    "aligned",
)

# Undecided, said of a person standing alone or about a topic ("mixed: ...", "on the fence re pricing"); not
# "mixed results", "a neutral venue".
UNDECIDED = re.compile(
    r"\b(?:mixed(?:\s+(?:feelings|views|reaction|signals))?|ambivalent|undecided|torn|"
    r"non-?committal|on\s+the\s+fence|in\s+two\s+minds|"
    r"sitting\s+on\s+the\s+fence|hard\s+to\s+read|no\s+clear\s+(?:position|view|opinion|stance)|"
    r"(?:couldn['’]?t|could\s+not|can['’]?t)\s+tell\s+where\s+"
    r"(?:she|he|they)\s+(?:landed|stands?|stood))(?=\s*(?:[,.;:!)\n—–-]|$|\s+(?:on|about|re|so\s+far|overall|"
    r"for\s+now|at\s+the\s+moment|at\s+best)\b))", re.IGNORECASE)

# Words that turn a mood round from further back than "not": what someone once was, and is no more ("used to be our
# loudest advocate", "was once Jordan's strongest ally"); what they did not even try to be ("didn't even pretend to
# be nice": too far back for VADER's own negation).
FORMERLY = r"\b(?:used\s+to\s+be|was\s+once|once\s+was|formerly)\s+(?:[\w'’]+\s+){0,3}$"
NOT_EVEN = r"n['’]?t\s+(?:even\s+)?(?:pretend|try|bother)\s+to\s+be\s+$"
# "not" up to two words before a word, in the ways people write it: "isn't", "isnt", "never", "no longer"
NOT_BEFORE = re.compile(r"\b(?:not|never|no\s+longer|\w+n['’]t|(?:do|does|did|is|was|are|were|has|have|had|ca|wo|"
                        r"could|would|should)nt)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
