"""rubrics.json: parsed criterion by criterion (no I/O; `Utils.labs.read_rubric` reads the file).

Each criterion is checked on its own: titles and descriptions must be text, marks finite numbers
(not booleans, not numbers of hundreds of digits), at least 2 ratings with distinct letters; a
malformed criterion is left out and reported, the others are used. Values echoed in messages are
cut short (ECHO_LIMIT). Ratings are sorted naturally (`rating_sort_key`: A, A+, B, ..., AA).
"""

from __future__ import annotations

import json
import math
import re

from Utils.lab_records import RUBRIC_FILE, Criterion, LabFormatError, Rating, echo, nfc

# Rubric problems listed in one message at most (then "... and N more").
MAX_LISTED_PROBLEMS = 20


class _HugeNumber(str):
    """A number in rubrics.json too large to read (thousands of digits): kept as its text, refused
    where a number is needed, ignored where the field is not used (an `id`)."""


def _parse_int(text: str):
    return _HugeNumber(text) if len(text) > 300 else int(text)


def _parse_float(text: str):
    return _HugeNumber(text) if len(text) > 300 else float(text)


def join_problems(problems: list[str]) -> str:
    shown = problems[:MAX_LISTED_PROBLEMS]
    more = len(problems) - len(shown)
    return "; ".join(shown) + (f"; ... and {more} more" if more > 0 else "")


def rating_sort_key(letter: str) -> tuple:
    """Natural order of rating titles: A, A+, A-, B, ..., Z, AA (not string order, where AA comes
    before B), A2 before A10. Case-insensitive first, so 'a' sits beside 'A'."""
    match = re.fullmatch(r"([A-Za-z]*)(\d*)(.*)", letter, re.S)
    letters, digits, rest = match.groups()
    return (len(letters), letters.upper(), letters, int(digits) if digits else -1, rest)


def _text_field(value, name: str, where: str, errors: list[str], required: bool = True) -> str | None:
    """A rubric text field: a string (a number is taken as its text); lists, objects, booleans and
    null are refused with a message."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or isinstance(value, _HugeNumber):
        if value is None and not required:
            return None
        kind = "a huge number" if isinstance(value, _HugeNumber) else type(value).__name__
        errors.append(f"{where}: '{name}' must be text, found {kind}" + (f" {echo(value)}" if value is not None else ""))
        return None
    text = nfc(str(value).strip())
    if not text and required:
        errors.append(f"{where}: '{name}' is empty")
        return None
    return text


def _marks_value(value, where: str, errors: list[str]) -> tuple[bool, float | None]:
    """(ok, marks) of a rating's 'marks': a finite number or numeric text; missing or "" is None."""
    if value is None or value == "":
        return True, None
    if isinstance(value, _HugeNumber):
        errors.append(f"{where}: 'marks' is a number too large to use ({len(value)} digits)")
        return False, None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        errors.append(f"{where}: 'marks' must be a number, found {type(value).__name__} {echo(value)}")
        return False, None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        errors.append(f"{where}: non-numeric 'marks' {echo(value)}")
        return False, None
    if not math.isfinite(number):
        errors.append(f"{where}: 'marks' must be a finite number, found {echo(value)}")
        return False, None
    return True, number


def parse_rubric_criteria(text: str, source: str = RUBRIC_FILE) -> tuple[list[Criterion], list[tuple[str | None, str]]]:
    """Parse rubrics.json criterion by criterion: (usable criteria, [(criterion title or None, what is
    wrong)]). A malformed criterion (a list as title, boolean or huge marks, fewer than 2 ratings,
    repeated letters) is reported and left out; the others are kept. Raises LabFormatError only when
    the file as a whole is unusable (not JSON, not a list). Echoed values are cut short."""
    data = _criteria_list(text, source)
    counts: dict[str, int] = {}
    for entry in data:
        if isinstance(entry, dict) and isinstance(entry.get("title"), (str, int, float)):
            title = nfc(str(entry["title"]).strip())
            counts[title] = counts.get(title, 0) + 1
    problems: list[tuple[str | None, str]] = []
    criteria: list[Criterion] = []
    for index, entry in enumerate(data):
        parsed = _parse_criterion(index, entry, counts)
        (criteria if isinstance(parsed, Criterion) else problems).append(parsed)
    return criteria, problems


def _criteria_list(text: str, source: str) -> list:
    """The file's JSON list of criteria (LabFormatError when it is not JSON or not a list)."""
    try:
        data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=lambda name: float(name))
    except json.JSONDecodeError as e:
        raise LabFormatError(f"{source}: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise LabFormatError(f"{source}: invalid JSON: nested too deeply") from None
    if not isinstance(data, list):
        raise LabFormatError(f"{source}: expected a JSON list of criteria, found {type(data).__name__}")
    return data


def _parse_criterion(index: int, entry, counts: dict[str, int]) -> Criterion | tuple[str | None, str]:
    """The criterion at `index` (its ratings in natural letter order), or (its title or None, what is wrong
    with it); `counts` says how often each title appears in the file."""
    errors: list[str] = []
    where = f"criterion {index}"
    if not isinstance(entry, dict):
        return None, f"{where}: expected an object, found {type(entry).__name__}"
    if entry.get("title") is None or entry.get("title") == "":
        return None, f"{where}: missing 'title'"
    title = _text_field(entry.get("title"), "title", where, errors)
    if title is None:
        return None, "; ".join(errors)
    where = f"criterion {index} ({echo(title)})"
    if counts.get(title, 0) > 1:
        return title, f"{where}: title appears more than once"
    raw_ratings = entry.get("Ratings", entry.get("ratings"))
    if not isinstance(raw_ratings, list) or not raw_ratings:
        return title, f"{where}: missing or empty 'Ratings' list"
    ratings = [rating for r_index, raw in enumerate(raw_ratings)
               if (rating := _parse_rating(raw, r_index, where, errors)) is not None]
    letters = [r.letter for r in ratings]
    duplicates = sorted({x for x in letters if letters.count(x) > 1})
    if duplicates:
        errors.append(f"{where}: rating titles repeated: {', '.join(echo(d)[1:-1] for d in duplicates[:5])}")
    if not errors and len(ratings) < 2:
        errors.append(f"{where}: only {len(ratings)} rating: a criterion needs at least 2 options to choose from")
    if errors:
        return title, "; ".join(errors[:MAX_LISTED_PROBLEMS])
    description = entry.get("description")
    description = nfc(description.strip()) if isinstance(description, str) and description.strip() else title
    return Criterion(title, description, tuple(sorted(ratings, key=lambda r: rating_sort_key(r.letter))))


def _parse_rating(raw, r_index: int, where: str, errors: list[str]) -> Rating | None:
    """The rating (option) at `r_index` of a criterion, or None with what is wrong added to `errors`."""
    if not isinstance(raw, dict):
        errors.append(f"{where}: rating {r_index} is not an object")
        return None
    if raw.get("title") is None or raw.get("title") == "":
        errors.append(f"{where}: rating {r_index} has no 'title'")
        return None
    letter = _text_field(raw.get("title"), "title", f"{where}: rating {r_index}", errors)
    if letter is None:
        return None
    rating_where = f"{where}: rating {echo(letter)}"
    description = raw.get("description")
    if description is None or (isinstance(description, str) and not description.strip()):
        errors.append(f"{rating_where} has no 'description'")
        return None
    if not isinstance(description, str):
        errors.append(f"{rating_where}: 'description' must be text, found {type(description).__name__}")
        return None
    ok, marks = _marks_value(raw.get("marks"), rating_where, errors)
    return Rating(letter, nfc(description.strip()), marks) if ok else None


def parse_rubric(text: str, source: str = RUBRIC_FILE) -> list[Criterion]:
    """Parse rubrics.json. Collects every problem in the file and raises them at once (LabFormatError);
    `parse_rubric_criteria` instead keeps the sound criteria and reports the others."""
    criteria, problems = parse_rubric_criteria(text, source)
    if problems:
        raise LabFormatError(f"{source}: " + join_problems([message for _, message in problems]))
    return criteria
