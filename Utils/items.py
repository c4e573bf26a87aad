"""The unit of grading: one (lab, student, criterion) with its prompt and one answer per option.

Every step sees items through `Item`: the builder writes each item's K-1 DPO pairs
(`Utils.pairs`), training regroups the pairs into items, evaluation scores items read back
from the pairs JSONL or straight from lab folders, and grading scores the items of new
submissions. Prompts and answers always come from `Utils.prompts`, so an item built here from
a lab folder and the same item read back from the JSONL are equal. Nothing here imports torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from Utils.lab_records import GradedItem, LabFormatError, Problem
from Utils.labs import Lab, collect_items, list_lab_dirs, read_lab
from Utils.prompts import Messages, answer_text, build_prompt


@dataclass
class Item:
    """A prompt and one answer text per rating option.

    `pairs` are the (chosen, rejected) answer indices of the item's training pairs, one per
    pair, in the builder's order (the TA's rating against each other rating); empty when the
    item is only scored. `true_option` is the TA's rating, None when grading new submissions.
    """

    lab: str
    student_id: str
    criterion: str
    options: tuple[str, ...]  # rating letters, in the order of `answers`
    answers: tuple[str, ...]  # the answer text of each option, e.g. {"answer": "B. Ok variable names"}
    messages: Messages
    code_span: tuple[int, int] | None
    true_option: str | None = None
    pairs: tuple[tuple[int, int], ...] = field(default=())

    @property
    def key(self) -> tuple[str, str, str]:
        return self.lab, self.student_id, self.criterion

    @property
    def code(self) -> str | None:
        """The student's code, as it stands in the prompt (None without a `code_span`)."""
        if self.code_span is None:
            return None
        start, end = self.code_span
        return self.messages[-1]["content"][start:end]

    @property
    def descriptions(self) -> tuple[str, ...]:
        """Each option's description, read back from its answer text, in the order of `options`."""
        from Utils.prompts import option_description

        return tuple(option_description(a, o) for o, a in zip(self.options, self.answers))

    def scoring_view(self) -> Item:
        """The item as scored: the plain answer of each option (no reasoning, so a TA's comment in a
        chosen answer never reaches the scorer) and no training pairs."""
        from Utils.prompts import plain_answer

        return Item(self.lab, self.student_id, self.criterion, self.options,
                    tuple(plain_answer(a, o) for o, a in zip(self.options, self.answers)), self.messages,
                    self.code_span, self.true_option)


def item_from_graded(item: GradedItem, system_prompt: str, reasoning: bool = False) -> Item:
    """The item of a TA-rated (lab, student, criterion): its prompt, every option's answer, and its
    pairs. With `reasoning`, the TA's answer carries the TA's comment (or the rating's description)
    and each other answer its rating's description."""
    messages, code_span = build_prompt(system_prompt, item.statement, item.code, item.language, item.criterion)
    answers = []
    for rating in item.criterion.ratings:
        why = None
        if reasoning:
            why = (item.comment or rating.description) if rating.letter == item.chosen else rating.description
        answers.append(answer_text(rating, why))
    letters = item.criterion.letters
    chosen = letters.index(item.chosen)
    pairs = tuple((chosen, k) for k in range(len(letters)) if k != chosen)
    return Item(item.lab, item.student_id, item.criterion.title, letters, tuple(answers), messages, code_span,
                item.chosen, pairs)


def items_to_grade(lab: Lab, system_prompt: str) -> list[Item]:
    """Every readable submission x every rubric criterion of a lab read with `with_ratings=False`."""
    items = []
    for student_id, submission in sorted(lab.submissions.items()):
        for criterion in lab.rubric:
            messages, code_span = build_prompt(system_prompt, lab.statement, submission.code,
                                               submission.language, criterion)
            items.append(Item(lab.name, student_id, criterion.title, criterion.letters,
                              tuple(answer_text(r) for r in criterion.ratings), messages, code_span))
    return items


# --------------------------------------------------------------------------- choosing labs and students


def unknown_lab_names(requested: list[str], available: list[str]) -> list[str]:
    """Messages for requested lab names that match no lab, with close matches."""
    import difflib

    messages = []
    for name in requested:
        if name not in available:
            close = difflib.get_close_matches(name, available, n=3)
            messages.append(f"{name!r}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
    return messages


def select_lab_dirs(parent_dir: str | Path, lab_names: list[str], flag: str = "--lab_names") -> list[Path]:
    """The lab folders to read: those named (an unknown name is an error with close matches), else all."""
    lab_dirs = list_lab_dirs(parent_dir)
    if not lab_names:
        return lab_dirs
    unknown = unknown_lab_names(lab_names, [d.name for d in lab_dirs])
    if unknown:
        raise ValueError(f"{flag}: no lab folder in {parent_dir} named {'; '.join(unknown)}")
    return [d for d in lab_dirs if d.name in set(lab_names)]


def filter_labs(items: list[Item], lab_names: list[str], source: str) -> list[Item]:
    """Items of the named labs (all when none is named); a name with no item is an error."""
    if not lab_names:
        return items
    unknown = unknown_lab_names(lab_names, sorted({i.lab for i in items}))
    if unknown:
        raise ValueError(f"--lab_names: {source} has no items of lab {'; '.join(unknown)}")
    return [i for i in items if i.lab in set(lab_names)]


def first_students_per_lab(items: list[Item], n: int) -> list[Item]:
    """The items of the first `n` students (sorted by id) of each lab, in their original order."""
    students: dict[str, set[str]] = {}
    for item in items:
        students.setdefault(item.lab, set()).add(item.student_id)
    keep = {(lab, sid) for lab, ids in students.items() for sid in sorted(ids)[:n]}
    return [item for item in items if (item.lab, item.student_id) in keep]


def read_lab_items(parent_dir: str | Path, lab_names: list[str], system_prompt: str, verbose: int = 0
                   ) -> tuple[list[Item], list[Problem]]:
    """Items with the TA's ratings straight from lab folders, as the builder reads them.

    Returns the items (as scored: no reasoning) and every problem: items the reader could not
    use and labs that could not be read, each with its reason, so nothing is lost without a word.
    """
    items: list[Item] = []
    problems: list[Problem] = []
    for lab_dir in select_lab_dirs(parent_dir, lab_names):
        try:
            lab = read_lab(lab_dir, verbose=verbose)
        except LabFormatError as e:
            problems.append(Problem(lab_dir.name, "lab could not be read", detail=str(e)))
            continue
        graded, lab_problems = collect_items(lab)
        items.extend(item_from_graded(g, system_prompt).scoring_view() for g in graded)
        problems.extend(lab_problems)
    return items, problems
