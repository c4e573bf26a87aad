"""Read the rating letter from a model's free-text reply (`evaluate.py --method generate`).

Pure text functions: no model, no torch. What cannot be read is None, counted as a parse failure.
"""

from __future__ import annotations

import json
import re


_FENCE = re.compile(r"```[A-Za-z]*[ \t]*\n?(.*?)(?:```|$)", re.S)
_JSON_OBJECT = re.compile(r"\{[^{}]*\}", re.S)
_ANSWER_KEYS = ("answer", "rating", "option", "choice", "grade")
# A letter standing as an option at the start of a text: "B", "B. Ok ...", "(B)", "**B**", "B - Ok".
_LEADING_LETTER = re.compile(r"^[\s\"'*(\[]*([A-Za-z])[\"'*)\]]*[ \t]*(?:[.):,\-]|\n|$)")
_SEP = r"[\s\"'*:=(\[\-]*"
# "answer is B", "Answer: B", "The correct option would be (b).", '"answer": "B. Ok' (cut-off JSON).
_KEYWORD_LETTER = re.compile(
    r"\b(?:answer|rating|option|choice|grade)\b" + _SEP + r"(?:(?:is|would be|should be|will be)\b" + _SEP
    + r")?(?:(?:option|rating)\b" + _SEP + r")?([A-Za-z])(?![A-Za-z])", re.I)
_STANDS_APART = re.compile(r"[\"'*)\]]*[ \t]*(?:[.):,]|\n|$)")
_OPTION_LINE = re.compile(r"^[\s\"'*(\[]*([A-Za-z])[.)][ \t]", re.M)


def _letter_from_label(value: str, options: tuple[str, ...]) -> str | None:
    match = _LEADING_LETTER.match(value)
    if match and match.group(1).upper() in options:
        return match.group(1).upper()
    return None


def _letter_after_keyword(text: str, options: tuple[str, ...]) -> str | None:
    for match in _KEYWORD_LETTER.finditer(text):
        letter = match.group(1)
        # A lowercase letter followed by more words is the article "a" ("the answer is a loop"),
        # not option A; it counts only when it stands apart: "answer: b", "answer is b.".
        if letter.islower() and not _STANDS_APART.match(text, match.end()):
            continue
        if letter.upper() in options:
            return letter.upper()
    return None


def parse_rating(text: str, options: tuple[str, ...], descriptions: tuple[str, ...] = ()) -> str | None:
    """Read the rating letter from a model's reply; None when it cannot be read.

    Tries, in order, on the inside of a markdown code fence (if any) and then on the whole
    reply: a JSON object with an "answer" (or rating/option/choice/grade) key; a reply that
    starts with the letter ("B", "B. Ok ...", "(B)", "**B**"), unless it goes on to list other
    options line by line (an echo of the prompt's options, not a choice); the letter after a keyword
    ("Answer: B", "The correct answer is B.", '"answer": "B. Ok' cut off); and last, a reply
    that quotes exactly one option's description. The letter must be one of `options`; the
    first readable one wins.
    """
    options = tuple(o.upper() for o in options)
    body = text.strip()
    fenced = _FENCE.search(body)
    candidates = ([fenced.group(1).strip()] if fenced else []) + [body]
    for candidate in candidates:
        for blob in _JSON_OBJECT.findall(candidate):
            try:
                data = json.loads(blob)
            except json.JSONDecodeError:
                continue
            lowered = {str(k).lower(): v for k, v in data.items()}
            for key in _ANSWER_KEYS:
                if isinstance(lowered.get(key), str):
                    letter = _letter_from_label(lowered[key], options)
                    if letter:
                        return letter
    for candidate in candidates:
        # A reply that lists several options line by line ("A. ...\nB. ...") echoes the prompt:
        # its first line is not a choice.
        listed = {m.group(1).upper() for m in _OPTION_LINE.finditer(candidate)} & set(options)
        letter = (_letter_from_label(candidate, options) if len(listed) < 2 else None) \
            or _letter_after_keyword(candidate, options)
        if letter:
            return letter
    lowered_body = body.lower()
    quoted = [o for o, d in zip(options, descriptions) if d and d.lower() in lowered_body]
    return quoted[0] if len(quoted) == 1 else None
