"""Day words of the other languages reps mix into their notes ("Reunión with Halcyon ayer", "call el jueves",
"gestern mit Anna", "le mardi", "el 13 de noviembre"): found as dates, and read as their English words.

Spanish, Portuguese, German, French and Italian weekdays, yesterday / today / tomorrow and month names. A word
that is also English, or another common word, is left out ("hier" is German for "here", "morgen" is fine).
"""

from __future__ import annotations

import re

_WEEKDAYS = {
    "monday": ("lunes", "montag", "lundi", "lunedì", "lunedi", "segunda-feira"),
    "tuesday": ("martes", "dienstag", "mardi", "martedì", "martedi", "terça-feira", "terca-feira"),
    "wednesday": ("miércoles", "miercoles", "mittwoch", "mercredi", "mercoledì", "mercoledi", "quarta-feira"),
    "thursday": ("jueves", "donnerstag", "jeudi", "giovedì", "giovedi", "quinta-feira"),
    "friday": ("viernes", "freitag", "vendredi", "venerdì", "venerdi", "sexta-feira"),
    "saturday": ("sábado", "sabado", "samstag", "samedi"),
    "sunday": ("domingo", "sonntag", "dimanche", "domenica"),
}
_RELATIVE = {
    "yesterday": ("ayer", "gestern", "ieri", "ontem"),
    "today": ("hoy", "heute", "aujourd'hui", "oggi", "hoje"),
    "tomorrow": ("mañana", "morgen", "demain", "domani", "amanhã", "amanha"),
}
_MONTHS = {
    "january": ("enero", "januar", "janvier", "gennaio", "janeiro"),
    "february": ("febrero", "februar", "février", "fevrier", "febbraio", "fevereiro"),
    "march": ("marzo", "märz", "maerz", "mars", "março", "marco"),
    "april": ("abril", "avril", "aprile"),
    "may": ("mayo", "mai", "maggio", "maio"),
    "june": ("junio", "juni", "juin", "giugno", "junho"),
    "july": ("julio", "juli", "juillet", "luglio", "julho"),
    "august": ("agosto", "août", "aout"),
    "september": ("septiembre", "setiembre", "septembre", "settembre", "setembro"),
    "october": ("octubre", "oktober", "octobre", "ottobre", "outubro"),
    "november": ("noviembre", "novembre", "novembro"),
    "december": ("diciembre", "dezember", "décembre", "decembre", "dicembre", "dezembro"),
}
_ENGLISH = {word: english for table in (_WEEKDAYS, _RELATIVE, _MONTHS) for english, words in table.items()
            for word in words}


def _alternation(table: dict[str, tuple[str, ...]]) -> str:
    return "|".join(re.escape(w) for w in sorted((w for ws in table.values() for w in ws), key=len, reverse=True))


WEEKDAY = r"(?:(?:el|am|le|il|na|no)\s+)?(?:" + _alternation(_WEEKDAYS) + r")(?![\w-])"
RELATIVE = r"(?<!\bla\s)(?<!\besta\s)(?:" + _alternation(_RELATIVE) + r")(?![\w'])"  # not "la mañana": morning
DAY_OF_MONTH = (r"(?:(?:el|am|le|il|o)\s+)?(?:[12]\d|3[01]|0?[1-9])\.?\s+(?:de\s+)?(?:" + _alternation(_MONTHS)
                + r")(?![\w])")
# "hasta el viernes", "bis Freitag", "jusqu'au 4": by that day
DEADLINE = r"(?:hasta|bis|jusqu['’]au|jusqu['’]à|entro|antes\s+del?|avant)"
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ARTICLE = re.compile(r"^(?:el|am|le|il|na|no|o)\s+", re.IGNORECASE)


_SPOKEN_DAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)(?:dee|dey)\b", re.IGNORECASE)


def in_english(phrase: str) -> str:
    """``phrase`` with its foreign day words as English ("el martes" -> "tuesday", "31 de noviembre" ->
    "31 november"); English as it is."""
    phrase = re.sub(r"^" + DEADLINE + r"\s+", "", phrase.strip(), flags=re.IGNORECASE)
    phrase = _SPOKEN_DAY.sub(r"\1day", phrase)  # "Thursdee", "Mondee": a weekday spelt as it is said
    words = [_ENGLISH.get(w.casefold(), w) for w in phrase.split()]
    text = " ".join(w for w in words if w.casefold() != "de")
    return _ARTICLE.sub("", text) if text != phrase else phrase
