#!/usr/bin/env python3
"""Generate realistic, seeded example labs in the lab folder format.

This script writes six example labs (one intro-course C++ problem each) into
``examples/labs/`` (or the folder given with ``--out``), in the format described
in the toolkit's lab-format notes::

    <out>/
      .generated                 marker: this folder was written by this script
      lab01_sum_of_digits/
        modified_ps.txt          short problem statement
        ps.txt                   long statement (lab04 has problemStatement.txt instead)
        rubrics.json             3 or 4 criteria, 2 or 3 ratings each
        rubric_ratings.csv       six header rows, then one row per student
        submissions/<id>@<domain>/<name>.cpp
      lab02_prime_check/
      ...

The rubrics are built the way course rubrics are: most criteria come from a
shared pool of generic criteria with identical title, description, ratings and
marks in every lab that uses them, and a training lab may add one criterion of
its own. ``lab05_factorial`` and ``lab06_palindrome`` (the held-out labs of the
demo) use pool criteria only, each of which is graded in at least two of
lab01-lab04::

    criterion (pool)            lab01 lab02 lab03 lab04 | lab05 lab06
    Variable names                x     x           x   |   x
    Indentation and comments                  x     x   |         x
    Input and output format             x     x         |         x
    Loop bounds                         x     x         |   x     x
    Edge cases                    x     x               |   x
    Helper function               x                 x   |   x
    lab-specific                  x           x     x   |

    lab01: Digit extraction      lab03: Array declaration   lab04: Euclid's algorithm

How the data is made: for every student and criterion a *true* rating is drawn
first (better students get better ratings; the most common rating of a
criterion is typically 40-55% of the students, so always answering it is a weak
grader), then a short C++ program (about 15-35 lines) is rendered that exhibits
exactly those properties, each in a way that can be seen in the code:

- Variable names: A descriptive names (``digitSum``, ``first``), B short
  abbreviations (``num``, ``res``), C single letters or ``x1``/``temp``.
- Indentation and comments: A consistent indentation and ``//`` comments,
  B consistent indentation and no comment, C ragged indentation, no comment.
- Input and output format: A exactly the required output, B an extra prompt
  such as ``Enter n:``, C different output words or separators.
- Loop bounds: A right start and stop, B a loop stops one step too early or
  too late (``i > 0`` instead of ``i >= 0``, ``i < n`` instead of ``i <= n``),
  C a loop starts at the wrong value (``i = 1`` as a divisor, ``i = n``).
- Edge cases: A the special input named in the statement (a negative number,
  0 and 1, 0!) gives the right answer, B it does not.
- Helper function: A a function computes and returns the result while main
  reads and prints, B a function does the work but also reads or prints,
  C everything is in main.

Properties that a lab does not grade are drawn independently of the ratings
(brace style, indentation width, cin/cout or scanf/printf, helper functions,
comments, naming quality where names are not graded, ...), so no style gives a
rating away by accident. The TA's ratings in ``rubric_ratings.csv`` agree with
the true ratings except for about 8-10% of the (student, criterion) items,
which get a neighbouring rating, as happens with real human grading.

Valid quirks seen in real exports are sprinkled in on purpose:

- lab01: a few sources with Windows line ends, one source with a Latin-1 byte.
- lab02: rubric_ratings.csv with a UTF-8 BOM and CRLF line ends; a
  ``testcases/`` folder (to be ignored by readers); a ``notes.txt`` beside a
  few sources.
- lab03: rating descriptions containing commas (quoted CSV fields).
- lab04: an "older export": ``problemStatement.txt`` instead of ``ps.txt``;
  an ``a.out`` beside a few sources.
- lab05: about a quarter of the chosen cells hold TA comment text (or
  ``No Comments``) instead of ``1``.
- lab06: rubrics.json lists the ratings out of order (C, A, B).

Run it with::

    python examples/generate_labs.py                  # writes examples/labs
    python examples/generate_labs.py --seed 1 --students 60 --out /tmp/labs

Only the Python 3.11 standard library is used.  The output is deterministic:
the same ``--seed`` and ``--students`` give byte-identical files.  An existing
output folder is removed first, but only if it carries the ``.generated``
marker (or is empty).  The true ratings are not written to disk; call
``build_labs(seed, students)`` and read ``Lab.truth`` to get them.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".generated"


# --------------------------------------------------------------------------
# Rubric definitions
# --------------------------------------------------------------------------


@dataclass
class Criterion:
    key: str  # internal key used by the program renderers
    title: str
    description: str
    ratings: list[tuple[str, str, int]]  # (title, description, marks), A first

    @property
    def letters(self) -> list[str]:
        return [r[0] for r in self.ratings]


# The pool of generic criteria: identical title, description, ratings and marks
# in every lab that uses them.
VARIABLE_NAMES = Criterion(
    "names",
    "Variable names",
    "Quality of variable names",
    [
        ("A", "Good variable names", 2),
        ("B", "Ok variable names", 1),
        ("C", "Poor naming of variables", 0),
    ],
)
INDENTATION = Criterion(
    "indent",
    "Indentation and comments",
    "Is the code properly indented and commented?",
    [
        ("A", "Well indented with helpful comments", 2),
        ("B", "Well indented but no comments", 1),
        ("C", "Poor indentation and no comments", 0),
    ],
)
IO_FORMAT = Criterion(
    "io",
    "Input and output format",
    "Reads the input and prints the output exactly as specified",
    [
        ("A", "Output matches the required format exactly", 2),
        ("B", "Prints extra prompts such as Enter n", 1),
        ("C", "Output text differs from the required format", 0),
    ],
)
LOOP_BOUNDS = Criterion(
    "bounds",
    "Loop bounds",
    "Every loop starts and stops at the right value",
    [
        ("A", "All loop bounds are correct", 2),
        ("B", "Off by one: a loop stops one step too early or too late", 1),
        ("C", "Off by one: a loop starts at the wrong value", 0),
    ],
)
EDGE_CASES = Criterion(
    "edge",
    "Edge cases",
    "Gives the right answer for the special inputs named in the problem statement",
    [
        ("A", "Every special input named in the statement gets the right answer", 1),
        ("B", "A special input named in the statement gets a wrong answer", 0),
    ],
)
HELPER_FUNCTION = Criterion(
    "func",
    "Helper function",
    "The computation is done in its own function, separate from the input and output",
    [
        ("A", "A separate function computes and returns the result; main reads and prints", 2),
        ("B", "A separate function does the work but also reads the input or prints the result", 1),
        ("C", "Everything is written in main", 0),
    ],
)
POOL = [VARIABLE_NAMES, INDENTATION, IO_FORMAT, LOOP_BOUNDS, EDGE_CASES, HELPER_FUNCTION]

# Probability of each rating (A first) for an average student.
BASE_PROBS = {
    2: [0.56, 0.44],
    3: [0.52, 0.29, 0.19],
    4: [0.42, 0.27, 0.18, 0.13],
}
# How strongly a student's skill (a standard normal) tilts every rating towards A.
SKILL_WEIGHT = 0.7


# --------------------------------------------------------------------------
# C++ source builder
# --------------------------------------------------------------------------


@dataclass
class Style:
    allman: bool  # opening brace on its own line
    unit: str  # one level of indentation
    cstdio: bool  # scanf/printf instead of cin/cout
    std_prefix: bool  # std::cout instead of using namespace std
    bits: bool  # #include <bits/stdc++.h>
    snake: bool  # snake_case instead of camelCase for long names
    endl: bool  # endl instead of "\n"
    helper: bool  # put the computation in a helper function
    blank_lines: bool  # blank lines between sections
    spaced_header: bool  # "int main()" vs "int main(void)" etc.

    def s(self, name: str) -> str:
        return "std::" + name if self.std_prefix else name


def draw_style(rng: random.Random, allow_cstdio: bool = True) -> Style:
    return Style(
        allman=rng.random() < 0.3,
        unit=rng.choices(["    ", "  ", "\t"], weights=[6, 3, 1])[0],
        cstdio=allow_cstdio and rng.random() < 0.2,
        std_prefix=rng.random() < 0.15,
        bits=rng.random() < 0.25,
        snake=rng.random() < 0.3,
        endl=rng.random() < 0.6,
        helper=rng.random() < 0.4,
        blank_lines=rng.random() < 0.7,
        spaced_header=rng.random() < 0.9,
    )


class Src:
    """A C++ program as a list of (kind, depth, text) items."""

    def __init__(self, st: Style):
        self.st = st
        self.items: list[tuple[str, int, str]] = []

    def __call__(self, depth: int, text: str) -> None:
        self.items.append(("code", depth, text))

    def note(self, depth: int, text: str) -> None:
        self.items.append(("note", depth, "// " + text))

    def blank(self) -> None:
        if self.st.blank_lines:
            self.items.append(("blank", 0, ""))

    def open(self, depth: int, head: str) -> None:
        if self.st.allman:
            self(depth, head)
            self(depth, "{")
        else:
            self(depth, head + " {")

    def close(self, depth: int) -> None:
        self(depth, "}")

    def orelse(self, depth: int) -> None:
        if self.st.allman:
            self(depth, "}")
            self(depth, "else")
            self(depth, "{")
        else:
            self(depth, "} else {")

    def main(self) -> None:
        self.open(0, "int main()" if self.st.spaced_header else "int main(void)")

    def end_main(self) -> None:
        self(1, "return 0;")
        self.close(0)

    def headers(self, need: set[str]) -> None:
        st = self.st
        if st.bits:
            self(0, "#include <bits/stdc++.h>")
        else:
            self(0, "#include <cstdio>" if st.cstdio else "#include <iostream>")
            for h in sorted(need):
                self(0, f"#include <{h}>")
        if not st.std_prefix:
            self(0, "using namespace std;")
        self.items.append(("blank", 0, ""))

    def read(self, depth: int, vars_: list[tuple[str, str]]) -> None:
        """Read variables; vars_ is [(name, printf format)]."""
        if self.st.cstdio:
            fmts = " ".join(f for _, f in vars_)
            args = ", ".join("&" + n for n, _ in vars_)
            self(depth, f'scanf("{fmts}", {args});')
        else:
            self(depth, f"{self.st.s('cin')} >> " + " >> ".join(n for n, _ in vars_) + ";")

    def prompt(self, depth: int, text: str) -> None:
        if self.st.cstdio:
            self(depth, f'printf("{text}");')
        else:
            self(depth, f'{self.st.s("cout")} << "{text}";')

    def write(self, depth: int, parts: list, newline: bool = True) -> None:
        """Print parts: a str is a literal, a (expr, fmt) tuple is a value."""
        st = self.st
        if st.cstdio:
            fmt = "".join(p if isinstance(p, str) else p[1] for p in parts)
            args = [p[0] for p in parts if not isinstance(p, str)]
            fmt += "\\n" if newline else ""
            self(depth, f'printf("{fmt}"' + "".join(", " + a for a in args) + ");")
        else:
            chunks = [f'"{p}"' if isinstance(p, str) else p[0] for p in parts]
            if newline:
                chunks.append(st.s("endl") if st.endl else '"\\n"')
            self(depth, f"{st.s('cout')} << " + " << ".join(chunks) + ";")

    def render(self, rng: random.Random, messy: bool, comments: bool) -> str:
        lines: list[str] = []
        flat = rng.random() < 0.5
        for kind, depth, text in self.items:
            if kind == "note" and not comments:
                continue
            if kind == "blank":
                if lines and lines[-1] != "":
                    lines.append("")
                continue
            if not messy:
                indent = self.st.unit * depth
            elif flat:
                indent = "" if rng.random() < 0.85 else " " * rng.choice([1, 2, 3])
            else:
                width = depth * rng.choice([0, 1, 2, 3, 5]) + rng.choice([-1, 0, 0, 1, 2])
                indent = " " * max(0, width)
            lines.append(indent + text)
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(lines) + "\n"


def snake_case(name: str) -> str:
    out = []
    for ch in name:
        if ch.isupper():
            out.append("_" + ch.lower())
        else:
            out.append(ch)
    return "".join(out)


def pick_names(rng: random.Random, pools: dict, rating: str, snake: bool) -> dict[str, str]:
    """Pick one name per role from pools[role][rating]; names are distinct.

    A role may be a tuple of roles whose choices are tuples (drawn together).
    """
    used: set[str] = set()
    out: dict[str, str] = {}
    for role, by_rating in pools.items():
        choices = [c for c in by_rating[rating]
                   if not (set(c) if isinstance(c, tuple) else {c}) & used]
        choice = rng.choice(choices)
        roles = role if isinstance(role, tuple) else (role,)
        values = choice if isinstance(choice, tuple) else (choice,)
        for r, v in zip(roles, values):
            if snake and rating == "A":
                v = snake_case(v)
            out[r] = v
            used.add(v)
    return out


def names_rating(rng: random.Random, truth: dict[str, str]) -> str:
    """The naming quality to render: the truth, or good/ok when not graded."""
    if "names" in truth:
        return truth["names"]
    return "A" if rng.random() < 0.7 else "B"


def comment_and_indent(rng: random.Random, truth: dict[str, str]) -> tuple[bool, bool]:
    """(messy indentation, include comments) for the rendering."""
    if "indent" in truth:
        r = truth["indent"]
        return r == "C", r == "A"
    return False, rng.random() < 0.5


def io_words(rng: random.Random, rating: str, good: tuple[str, str], bad: list[tuple[str, str]]):
    return good if rating != "C" else rng.choice(bad)


def wants_prompt(rng: random.Random, truth: dict[str, str]) -> bool:
    """Rating B of the I/O criterion prints a prompt; some students with C do too."""
    r = truth.get("io", "A")
    return r == "B" or (r == "C" and rng.random() < 0.3)


def helper_form(rng: random.Random, truth: dict[str, str], st: Style,
                forms_b: tuple[str, ...] = ("print", "read")) -> str:
    """Where the computation goes: "return" (a function returns the result), "print" or "read"
    (a function that also prints the result or reads the input), or "none" (all in main)."""
    if "func" in truth:
        r = truth["func"]
        if r == "A":
            return "return"
        return rng.choice(forms_b) if r == "B" else "none"
    return "return" if st.helper else "none"


# --------------------------------------------------------------------------
# Lab 1: sum of digits
# --------------------------------------------------------------------------

DIGIT_EXTRACTION = Criterion(
    "digits",
    "Digit extraction",
    "How the digits of n are obtained",
    [
        ("A", "Takes off the digits one by one with % 10 and / 10 in a loop", 2),
        ("B", "Converts the number to a string and adds up the characters", 1),
        ("C", "Adds a fixed number of digits without a loop", 0),
    ],
)

LAB01_CRITERIA = [DIGIT_EXTRACTION, EDGE_CASES, VARIABLE_NAMES, HELPER_FUNCTION]

LAB01_NAMES = {
    "n": {"A": ["number", "inputNumber", "value"], "B": ["num", "val", "inp"], "C": ["a", "x", "t"]},
    "sum": {"A": ["digitSum", "sumOfDigits", "total"], "B": ["sm", "tot", "res"], "C": ["b", "s1", "y"]},
    "digit": {"A": ["digit", "lastDigit", "currentDigit"], "B": ["dig", "rem", "ld"], "C": ["c", "temp", "x1"]},
    "text": {"A": ["digits", "numberText"], "B": ["str", "st"], "C": ["z", "q"]},
    "func": {"A": ["sumOfDigits", "digitSum", "addDigits"], "B": ["dsum", "sod", "calc"], "C": ["f", "fn", "g"]},
}


def lab01_program(rng: random.Random, truth: dict[str, str], st: Style) -> str:
    nm = pick_names(rng, LAB01_NAMES, names_rating(rng, truth), st.snake)
    messy, comments = comment_and_indent(rng, truth)
    n, total, digit, text, func = nm["n"], nm["sum"], nm["digit"], nm["text"], nm["func"]
    dig, neg = truth["digits"], truth["edge"]
    form = helper_form(rng, truth, st)
    need: set[str] = set()
    if dig == "B" and not st.cstdio:
        need.add("string")
    neg_style = rng.randrange(3)
    if neg == "A" and neg_style == 2:
        need.add("cstdlib")
    neg_in_main = form in ("return", "print") and rng.random() < 0.4
    src = Src(st)
    if comments and rng.random() < 0.5:
        src.note(0, rng.choice(["Lab 1: sum of digits", "Program to find the sum of digits of a number",
                                "Sum of the digits of n"]))
    src.headers(need)

    def negative(d: int, var: str) -> None:
        if neg != "A":
            return
        src.note(d, "a negative number has the same digits as its absolute value")
        if neg_style == 0:
            src(d, f"if ({var} < 0) {var} = -{var};")
        elif neg_style == 1:
            src.open(d, f"if ({var} < 0)")
            src(d + 1, f"{var} = -{var};")
            src.close(d)
        else:
            src(d, f"{var} = {st.s('abs')}({var});")

    def compute(d: int, var: str) -> None:
        """Leave the digit sum of var in `total`."""
        if dig == "B":
            if st.cstdio:
                src(d, f"char {text}[16];")
                src(d, f'sprintf({text}, "%d", {var});')
            else:
                src(d, f"{st.s('string')} {text} = {st.s('to_string')}({var});")
            src(d, f"int {total} = 0;")
            src.note(d, "add the value of each character of the number")
            if st.cstdio:
                src.open(d, f"for (int i = 0; {text}[i] != '\\0'; i++)")
                src(d + 1, f"{total} += {text}[i] - '0';")
                src.close(d)
            elif rng.random() < 0.5:
                src.open(d, f"for (char ch : {text})")
                src(d + 1, f"{total} += ch - '0';")
                src.close(d)
            else:
                src.open(d, f"for (int i = 0; i < (int){text}.size(); i++)")
                src(d + 1, f"{total} += {text}[i] - '0';")
                src.close(d)
            return
        if dig == "C":
            src.note(d, "add the last digit and the rest of the number")
            if rng.random() < 0.5:
                src(d, f"int {total} = {var} % 10 + {var} / 10;")
            else:
                src(d, f"int {total} = {var} % 10 + ({var} / 10) % 10 + {var} / 100;")
            return
        src(d, f"int {total} = 0;")
        src.note(d, "take off the last digit until nothing is left")
        cond = rng.choice([f"{var} > 0", f"{var} != 0"])
        if rng.random() < 0.25:
            src.open(d, f"for (; {cond}; {var} /= 10)")
            src(d + 1, f"{total} += {var} % 10;")
            src.close(d)
            return
        src.open(d, f"while ({cond})")
        src(d + 1, f"int {digit} = {var} % 10;")
        src(d + 1, f"{total} = {total} + {digit};" if rng.random() < 0.3 else f"{total} += {digit};")
        src(d + 1, f"{var} /= 10;" if rng.random() < 0.6 else f"{var} = {var} / 10;")
        src.close(d)

    if form == "none":
        src.main()
        src(1, f"int {n};")
        src.note(1, "read the number")
        src.read(1, [(n, "%d")])
        negative(1, n)
        src.blank()
        compute(1, n)
        src.blank()
        src.write(1, [(total, "%d")])
        src.end_main()
        return src.render(rng, messy, comments)

    if form == "return":
        src.note(0, "returns the sum of the digits of " + n)
        src.open(0, f"int {func}(int {n})")
    elif form == "print":
        src.note(0, "prints the sum of the digits of " + n)
        src.open(0, f"void {func}(int {n})")
    else:
        src.note(0, "reads a number and returns the sum of its digits")
        src.open(0, f"int {func}()")
        src(1, f"int {n};")
        src.read(1, [(n, "%d")])
    if not neg_in_main:
        negative(1, n)
    compute(1, n)
    if form == "print":
        src.write(1, [(total, "%d")])
    else:
        src(1, f"return {total};")
    src.close(0)
    src.items.append(("blank", 0, ""))
    src.main()
    if form == "read":
        src.write(1, [(f"{func}()", "%d")])
    else:
        src(1, f"int {n};")
        src.note(1, "read the input")
        src.read(1, [(n, "%d")])
        if neg_in_main:
            negative(1, n)
        if form == "return":
            src.write(1, [(f"{func}({n})", "%d")])
        else:
            src(1, f"{func}({n});")
    src.end_main()
    return src.render(rng, messy, comments)


# --------------------------------------------------------------------------
# Lab 2: prime check
# --------------------------------------------------------------------------

LAB02_CRITERIA = [LOOP_BOUNDS, EDGE_CASES, IO_FORMAT, VARIABLE_NAMES]

LAB02_NAMES = {
    "n": {"A": ["number", "candidate", "value"], "B": ["num", "val", "inp"], "C": ["a", "x", "t"]},
    "flag": {"A": ["isPrime", "prime", "primeFlag"], "B": ["flag", "ok", "res"], "C": ["b", "f", "z"]},
    "func": {"A": ["isPrime", "checkPrime", "testPrime"], "B": ["chk", "prm", "test"], "C": ["g", "fun", "h"]},
}


def lab02_program(rng: random.Random, truth: dict[str, str], st: Style) -> str:
    nm = pick_names(rng, LAB02_NAMES, names_rating(rng, truth), st.snake)
    messy, comments = comment_and_indent(rng, truth)
    n, flag = nm["n"], nm["flag"]
    bound, small, io_r = truth["bounds"], truth["edge"], truth["io"]
    lo = "1" if bound == "C" else "2"  # C: starts at 1, which divides everything
    if bound == "B":  # stops one step too late (n divides n) or too early (misses sqrt(n))
        cond = rng.choice([f"i <= {n}", f"i * i < {n}"])
    else:
        cond = rng.choice([f"i * i <= {n}", f"i < {n}", f"i <= {n} / 2", f"i * i <= {n}"])
    yes, no = io_words(rng, io_r, ("YES", "NO"),
                       [("Prime", "Not Prime"), ("yes", "no"), ("prime", "not prime"), ("1", "0")])
    prompt = wants_prompt(rng, truth)
    src = Src(st)
    if comments and rng.random() < 0.5:
        src.note(0, rng.choice(["Lab 2: check whether n is prime", "Prime number check"]))
    src.headers(set())
    small_check = rng.choice([f"{n} < 2", f"{n} <= 1"])

    if st.helper:
        func = nm["func"]
        src.open(0, f"bool {func}(int {n})")
        if small == "A":
            src.note(1, "0 and 1 are not prime")
            src(1, f"if ({small_check}) return false;")
        src.note(1, "look for a divisor other than 1 and n")
        src.open(1, f"for (int i = {lo}; {cond}; i++)")
        src(2, f"if ({n} % i == 0) return false;")
        src.close(1)
        src(1, "return true;")
        src.close(0)
        src.items.append(("blank", 0, ""))
        src.main()
        src(1, f"int {n};")
        if prompt:
            src.prompt(1, rng.choice(["Enter a number: ", "Enter n: "]))
        src.read(1, [(n, "%d")])
        src.open(1, f"if ({func}({n}))")
        src.write(2, [yes])
        src.orelse(1)
        src.write(2, [no])
        src.close(1)
        src.end_main()
        return src.render(rng, messy, comments)

    as_int = rng.random() < 0.3
    true_, false_, typ = ("1", "0", "int") if as_int else ("true", "false", "bool")
    src.main()
    src(1, f"int {n};")
    if prompt:
        src.prompt(1, rng.choice(["Enter a number: ", "Enter n: ", "Enter the number to check: "]))
    src.read(1, [(n, "%d")])
    src.blank()
    if small == "A" and rng.random() < 0.4:
        src.note(1, "numbers below 2 are not prime")
        src(1, f"{typ} {flag} = {n} > 1;" if not as_int else f"{typ} {flag} = ({n} > 1);")
    else:
        src(1, f"{typ} {flag} = {true_};")
        if small == "A":
            src.note(1, "0 and 1 are not prime")
            src(1, f"if ({small_check}) {flag} = {false_};")
    src.note(1, "try every possible divisor")
    src.open(1, f"for (int i = {lo}; {cond}; i++)")
    src.open(2, f"if ({n} % i == 0)")
    src(3, f"{flag} = {false_};")
    src(3, "break;")
    src.close(2)
    src.close(1)
    src.blank()
    src.open(1, f"if ({flag})")
    src.write(2, [yes])
    src.orelse(1)
    src.write(2, [no])
    src.close(1)
    src.end_main()
    return src.render(rng, messy, comments)


# --------------------------------------------------------------------------
# Lab 3: reverse an array
# --------------------------------------------------------------------------

ARRAY_DECLARATION = Criterion(
    "array",
    "Array declaration",
    "How the array that holds the input is declared",
    [
        ("A", "Uses a vector, or an array sized after reading n", 2),
        ("B", "Fixed-size array, large enough for n <= 1000", 1),
        ("C", "Fixed-size array, too small for the limits", 0),
    ],
)

LAB03_CRITERIA = [LOOP_BOUNDS, ARRAY_DECLARATION, INDENTATION, IO_FORMAT]

LAB03_NAMES = {
    "n": {"A": ["size", "count", "length"], "B": ["n", "len", "sz"]},
    "arr": {"A": ["numbers", "values", "elements"], "B": ["arr", "a", "v"]},
}


def lab03_program(rng: random.Random, truth: dict[str, str], st: Style) -> str:
    nm = pick_names(rng, LAB03_NAMES, names_rating(rng, truth), st.snake)
    messy, comments = comment_and_indent(rng, truth)
    n, arr = nm["n"], nm["arr"]
    loop, array, io_r = truth["bounds"], truth["array"], truth["io"]
    need: set[str] = set()
    use_vector = array == "A" and (st.cstdio is False) and rng.random() < 0.6
    if use_vector:
        need.add("vector")
    size = {"B": rng.choice(["1000", "1001", "1005", "10000", "100005"]),
            "C": rng.choice(["10", "50", "100", "500"])}.get(array)
    global_array = size is not None and rng.random() < 0.35
    start = f"{n}" if loop == "C" else f"{n} - 1"  # C: starts one past the end
    stop = "i > 0" if loop == "B" else "i >= 0"  # B: stops before index 0
    sep = " " if io_r != "C" else rng.choice([",", ", ", ""])
    prompt = wants_prompt(rng, truth)
    src = Src(st)
    if comments and rng.random() < 0.5:
        src.note(0, rng.choice(["Lab 3: print the array in reverse order", "Reverse an array"]))
    src.headers(need)
    if global_array:
        src.note(0, "array big enough for the input" if array == "B" else "array for the input")
        src(0, f"int {arr}[{size}];")
        src.items.append(("blank", 0, ""))

    src.main()
    src(1, f"int {n};")
    if prompt:
        src.prompt(1, rng.choice(["Enter n: ", "Enter the number of elements: ", "Enter size: "]))
    src.read(1, [(n, "%d")])
    if use_vector:
        src(1, f"{st.s('vector')}<int> {arr}({n});")
    elif array == "A":
        src(1, f"int {arr}[{n}];")
    elif not global_array:
        src(1, f"int {arr}[{size}];")
    src.blank()
    src.note(1, "read the elements")
    if prompt and rng.random() < 0.7:
        src.prompt(1, rng.choice(["Enter the elements: ", "Enter elements: "]))
    src.open(1, f"for (int i = 0; i < {n}; i++)")
    src.read(2, [(f"{arr}[i]", "%d")])
    src.close(1)
    src.blank()
    src.note(1, "print from the last element to the first")
    if rng.random() < 0.3:
        src(1, f"int i = {start};")
        src.open(1, f"while ({stop})")
        src.write(2, [(f"{arr}[i]", "%d"), sep] if sep else [(f"{arr}[i]", "%d")], newline=False)
        src(2, "i--;")
        src.close(1)
    else:
        src.open(1, f"for (int i = {start}; {stop}; i--)")
        src.write(2, [(f"{arr}[i]", "%d"), sep] if sep else [(f"{arr}[i]", "%d")], newline=False)
        src.close(1)
    src.write(1, [])
    src.end_main()
    return src.render(rng, messy, comments)


# --------------------------------------------------------------------------
# Lab 4: gcd and lcm (older export)
# --------------------------------------------------------------------------

EUCLID = Criterion(
    "euclid",
    "Euclid's algorithm",
    "The GCD is computed with the Euclidean algorithm",
    [
        ("A", "Uses the remainder-based Euclidean algorithm", 2),
        ("B", "Correct but slow: tries every candidate divisor", 1),
        ("C", "Incorrect GCD: stops at the first common divisor", 0),
    ],
)

LAB04_CRITERIA = [EUCLID, HELPER_FUNCTION, VARIABLE_NAMES, INDENTATION]

LAB04_NAMES = {
    ("a", "b"): {
        "A": [("first", "second"), ("firstNumber", "secondNumber"), ("valueA", "valueB")],
        "B": [("num1", "num2"), ("val1", "val2"), ("fst", "snd")],
        "C": [("x1", "x2"), ("p", "q"), ("t1", "t2")],
    },
    "g": {"A": ["gcdValue", "divisor", "commonDivisor"], "B": ["hcf", "gd", "gc"], "C": ["c", "z", "y"]},
    "l": {"A": ["lcmValue", "multiple", "commonMultiple"], "B": ["lc", "lcmv", "lm"], "C": ["d", "w", "k"]},
    "r": {"A": ["remainder", "leftover"], "B": ["rem", "tmp", "rm"], "C": ["temp", "t", "m"]},
    "prod": {"A": ["product", "productAB"], "B": ["prod", "pr", "ab"], "C": ["v", "o"]},
    "func": {"A": ["computeGcd", "findGcd", "greatestCommon"], "B": ["hcf", "gcdf", "calc"], "C": ["f", "fun", "h"]},
    "show": {"A": ["printGcdLcm", "solveGcdLcm", "printAnswer"], "B": ["solve", "calc", "prt"], "C": ["s", "fn", "e"]},
    "lim": {"A": ["smaller", "limit"], "B": ["mn", "lim"], "C": ["u", "j1"]},
}


def lab04_program(rng: random.Random, truth: dict[str, str], st: Style) -> str:
    nm = pick_names(rng, LAB04_NAMES, names_rating(rng, truth), st.snake)
    messy, comments = comment_and_indent(rng, truth)
    a, b, g, l, r, func = nm["a"], nm["b"], nm["g"], nm["l"], nm["r"], nm["func"]
    euclid = truth["euclid"]
    form = helper_form(rng, truth, st, forms_b=("print",))
    src = Src(st)
    if comments and rng.random() < 0.5:
        src.note(0, rng.choice(["Lab 4: gcd and lcm of two numbers", "GCD and LCM"]))
    src.headers(set())

    def brute_force(d: int) -> None:
        """Declare g and compute the gcd of a and b into it by trying divisors."""
        lim = nm["lim"]
        src(d, f"int {lim} = {a} < {b} ? {a} : {b};")
        src(d, f"int {g} = 1;")
        if euclid == "B":
            src.note(d, "try every number up to the smaller one")
            if rng.random() < 0.5:
                src.open(d, f"for (int i = 1; i <= {lim}; i++)")
                src(d + 1, f"if ({a} % i == 0 && {b} % i == 0) {g} = i;")
                src.close(d)
            else:
                src.open(d, f"for (int i = {lim}; i >= 1; i--)")
                src.open(d + 1, f"if ({a} % i == 0 && {b} % i == 0)")
                src(d + 2, f"{g} = i;")
                src(d + 2, "break;")
                src.close(d + 1)
                src.close(d)
        else:  # C: first common divisor found from below
            src.note(d, "find the common divisor")
            src.open(d, f"for (int i = 2; i <= {lim}; i++)")
            src.open(d + 1, f"if ({a} % i == 0 && {b} % i == 0)")
            src(d + 2, f"{g} = i;")
            src(d + 2, "break;")
            src.close(d + 1)
            src.close(d)

    def lcm_line(d: int) -> None:
        src.note(d, "lcm * gcd = a * b")
        expr = rng.choice([f"(long long){a} * {b} / {g}", f"1LL * {a} / {g} * {b}",
                           f"{a} / {g} * (long long){b}"])
        src(d, f"long long {l} = {expr};")

    def solve_in_place(d: int) -> None:
        """Compute and print gcd and lcm of a and b (a and b may be overwritten)."""
        if euclid == "A":
            prod = nm["prod"]
            src(d, f"long long {prod} = (long long){a} * {b};")
            src.note(d, "Euclid: gcd(a, b) = gcd(b, a % b)")
            src.open(d, f"while ({b} != 0)")
            src(d + 1, f"int {r} = {a} % {b};")
            src(d + 1, f"{a} = {b};")
            src(d + 1, f"{b} = {r};")
            src.close(d)
            src.note(d, f"now {a} is the gcd, and lcm = a * b / gcd")
            src.write(d, [(a, "%d"), " ", (f"{prod} / {a}", "%lld")])
        else:
            brute_force(d)
            lcm_line(d)
            src.write(d, [(g, "%d"), " ", (l, "%lld")])

    if form == "return":
        src.note(0, f"returns the greatest common divisor of {a} and {b}")
        src.open(0, f"int {func}(int {a}, int {b})")
        if euclid == "A":
            src.note(1, "Euclid: gcd(a, b) = gcd(b, a % b)")
            kind = rng.randrange(3)
            if kind == 0:
                src(1, f"if ({b} == 0) return {a};")
                src(1, f"return {func}({b}, {a} % {b});")
            elif kind == 1:
                src(1, f"return {b} == 0 ? {a} : {func}({b}, {a} % {b});")
            else:
                src.open(1, f"while ({b} != 0)")
                src(2, f"int {r} = {a} % {b};")
                src(2, f"{a} = {b};")
                src(2, f"{b} = {r};")
                src.close(1)
                src(1, f"return {a};")
        else:
            brute_force(1)
            src(1, f"return {g};")
        src.close(0)
        src.items.append(("blank", 0, ""))
    elif form == "print":
        show = nm["show"]
        src.note(0, f"prints the gcd and the lcm of {a} and {b}")
        src.open(0, f"void {show}(int {a}, int {b})")
        solve_in_place(1)
        src.close(0)
        src.items.append(("blank", 0, ""))
    src.main()
    src(1, f"int {a}, {b};")
    src.read(1, [(a, "%d"), (b, "%d")])
    src.blank()
    if form == "return":
        src(1, f"int {g} = {func}({a}, {b});")
        lcm_line(1)
        src.write(1, [(g, "%d"), " ", (l, "%lld")])
    elif form == "print":
        src(1, f"{nm['show']}({a}, {b});")
    else:
        solve_in_place(1)
    src.end_main()
    return src.render(rng, messy, comments)


# --------------------------------------------------------------------------
# Lab 5: factorial (held out: pool criteria only)
# --------------------------------------------------------------------------

LAB05_CRITERIA = [LOOP_BOUNDS, EDGE_CASES, VARIABLE_NAMES, HELPER_FUNCTION]

LAB05_NAMES = {
    "n": {"A": ["number", "inputNumber", "value"], "B": ["num", "val", "nn"], "C": ["a", "x", "t"]},
    "fact": {"A": ["factorial", "result", "product"], "B": ["fact", "res", "prod"], "C": ["b", "y", "p"]},
    "func": {"A": ["computeFactorial", "factorialOf", "factorial"], "B": ["fac", "fct", "calc"],
             "C": ["f", "g", "fn"]},
}

LAB05_TYPES = [("long long", "%lld"), ("long long", "%lld"), ("unsigned long long", "%llu")]


def lab05_program(rng: random.Random, truth: dict[str, str], st: Style) -> str:
    nm = pick_names(rng, LAB05_NAMES, names_rating(rng, truth), st.snake)
    messy, comments = comment_and_indent(rng, truth)
    n, fact, func = nm["n"], nm["fact"], nm["func"]
    bounds, edge = truth["bounds"], truth["edge"]
    form = helper_form(rng, truth, st)
    typ, fmt = rng.choice(LAB05_TYPES)
    # The loop: counting up from 1 (or 2) to n, or down from n. A loop that starts at 0
    # makes every product 0, 0! included, so it is only drawn when 0! is wrong anyway.
    if bounds == "A":
        down = rng.random() < 0.3
    elif bounds == "B":
        down = False
    else:
        down = not (edge == "B" and rng.random() < 0.5)
    zero_loop = bounds == "C" and not down
    special = ""  # an explicit n == 0 branch: "1" (right) or "0" (wrong)
    if edge == "B" and not zero_loop:
        special = "0"
    elif edge == "A" and rng.random() < 0.3:
        special = "1"
    special_in_main = form in ("return", "print") and rng.random() < 0.5
    src = Src(st)
    if comments and rng.random() < 0.5:
        src.note(0, rng.choice(["Lab 5: factorial of n", "Compute n!"]))
    src.headers(set())

    def loop(d: int) -> None:
        src(d, f"{typ} {fact} = 1;")
        if down:
            src.note(d, "multiply n * (n - 1) * ... * 1")
            start = f"{n} - 1" if bounds == "C" else n
            stop = rng.choice(["i >= 1", "i > 1", "i >= 2"])
            src.open(d, f"for (int i = {start}; {stop}; i--)")
        else:
            src.note(d, "multiply 1 * 2 * ... * n")
            start = "0" if zero_loop else rng.choice(["1", "2"])
            stop = f"i < {n}" if bounds == "B" else f"i <= {n}"
            src.open(d, f"for (int i = {start}; {stop}; i++)")
        src(d + 1, f"{fact} *= i;" if rng.random() < 0.6 else f"{fact} = {fact} * i;")
        src.close(d)

    def zero_branch(d: int, how: str) -> None:
        """how: "main" (print, return 0), "void" (print, return) or "value" (return the value)."""
        if not special:
            return
        src.note(d, "0! = 1" if special == "1" else "nothing to multiply for 0")
        if how == "value":
            src(d, f"if ({n} == 0) return {special};")
            return
        src.open(d, f"if ({n} == 0)")
        src.write(d + 1, [special])
        src(d + 1, "return 0;" if how == "main" else "return;")
        src.close(d)

    if form == "none":
        src.main()
        src(1, f"int {n};")
        src.note(1, "read n")
        src.read(1, [(n, "%d")])
        zero_branch(1, "main")
        src.blank()
        loop(1)
        src.blank()
        src.write(1, [(fact, fmt)])
        src.end_main()
        return src.render(rng, messy, comments)

    if form == "return":
        src.note(0, f"returns {n}!")
        src.open(0, f"{typ} {func}(int {n})")
        if not special_in_main:
            zero_branch(1, "value")
        loop(1)
        src(1, f"return {fact};")
    elif form == "print":
        src.note(0, f"prints {n}!")
        src.open(0, f"void {func}(int {n})")
        if not special_in_main:
            zero_branch(1, "void")
        loop(1)
        src.write(1, [(fact, fmt)])
    else:
        src.note(0, "reads n and returns n!")
        src.open(0, f"{typ} {func}()")
        src(1, f"int {n};")
        src.read(1, [(n, "%d")])
        zero_branch(1, "value")
        loop(1)
        src(1, f"return {fact};")
    src.close(0)
    src.items.append(("blank", 0, ""))
    src.main()
    if form == "read":
        src.write(1, [(f"{func}()", fmt)])
    else:
        src(1, f"int {n};")
        src.read(1, [(n, "%d")])
        if special_in_main:
            zero_branch(1, "main")
        if form == "return":
            src.write(1, [(f"{func}({n})", fmt)])
        else:
            src(1, f"{func}({n});")
    src.end_main()
    return src.render(rng, messy, comments)


# --------------------------------------------------------------------------
# Lab 6: palindrome string (held out: pool criteria only)
# --------------------------------------------------------------------------

LAB06_CRITERIA = [LOOP_BOUNDS, IO_FORMAT, INDENTATION]

LAB06_NAMES = {
    "s": {"A": ["word", "text", "input"], "B": ["s", "str", "w"]},
    "len": {"A": ["length", "size", "len"], "B": ["n", "l", "sz"]},
    "flag": {"A": ["isPalindrome", "palindrome", "same"], "B": ["flag", "ok", "f"]},
    "func": {"A": ["isPalindrome", "checkPalindrome"], "B": ["pal", "chk", "check"]},
}


def lab06_program(rng: random.Random, truth: dict[str, str], st: Style) -> str:
    st.cstdio = False  # strings: always iostream here
    nm = pick_names(rng, LAB06_NAMES, names_rating(rng, truth), st.snake)
    messy, comments = comment_and_indent(rng, truth)
    s, ln, flag, func = nm["s"], nm["len"], nm["flag"], nm["func"]
    bounds, io_r = truth["bounds"], truth["io"]
    yes, no = io_words(rng, io_r, ("Yes", "No"),
                       [("YES", "NO"), ("Palindrome", "Not palindrome"), ("true", "false"), ("1", "0")])
    prompt = wants_prompt(rng, truth)
    two_pointer = rng.random() < 0.35
    src = Src(st)
    if comments and rng.random() < 0.5:
        src.note(0, rng.choice(["Lab 6: palindrome check", "Check if a word is a palindrome"]))
    src.headers(set() if st.bits else {"string"})
    string = st.s("string")

    def check(d: int, on_mismatch: list[str]) -> None:
        src.note(d, "compare characters from both ends")
        if two_pointer:
            # B stops one pair early; C starts j one past the last character
            src(d, f"int i = 0, j = {ln};" if bounds == "C" else f"int i = 0, j = {ln} - 1;")
            src.open(d, "while (i < j - 1)" if bounds == "B" else "while (i < j)")
            src.open(d + 1, f"if ({s}[i] != {s}[j])")
            for line in on_mismatch:
                src(d + 2, line)
            src.close(d + 1)
            src(d + 1, "i++;")
            src(d + 1, "j--;")
            src.close(d)
        else:
            if bounds == "B":
                bound = f"i < {ln} / 2 - 1"
            else:
                bound = rng.choice([f"i < {ln} / 2", f"i < {ln} / 2", f"i < {ln}", f"i <= {ln} / 2"])
            other = f"{ln} - i" if bounds == "C" else f"{ln} - 1 - i"
            src.open(d, f"for (int i = 0; {bound}; i++)")
            src.open(d + 1, f"if ({s}[i] != {s}[{other}])")
            for line in on_mismatch:
                src(d + 2, line)
            src.close(d + 1)
            src.close(d)

    if st.helper:
        src.note(0, f"true if {s} reads the same in both directions")
        src.open(0, f"bool {func}({string} {s})")
        src(1, f"int {ln} = {s}.length();")
        check(1, ["return false;"])
        src(1, "return true;")
        src.close(0)
        src.items.append(("blank", 0, ""))
        src.main()
        src(1, f"{string} {s};")
        if prompt:
            src.prompt(1, rng.choice(["Enter a word: ", "Enter string: "]))
        src.read(1, [(s, "%s")])
        src.note(1, "print the answer")
        src.open(1, f"if ({func}({s}))")
        src.write(2, [yes])
        src.orelse(1)
        src.write(2, [no])
        src.close(1)
        src.end_main()
        return src.render(rng, messy, comments)

    src.main()
    src(1, f"{string} {s};")
    if prompt:
        src.prompt(1, rng.choice(["Enter a word: ", "Enter the string: "]))
    src.read(1, [(s, "%s")])
    src(1, f"int {ln} = {s}.size();" if rng.random() < 0.5 else f"int {ln} = {s}.length();")
    src(1, f"bool {flag} = true;")
    src.blank()
    check(1, [f"{flag} = false;", "break;"])
    src.blank()
    src.note(1, "print the answer")
    src.open(1, f"if ({flag})")
    src.write(2, [yes])
    src.orelse(1)
    src.write(2, [no])
    src.close(1)
    src.end_main()
    return src.render(rng, messy, comments)


# --------------------------------------------------------------------------
# Problem statements
# --------------------------------------------------------------------------

STATEMENTS = {
    "lab01_sum_of_digits": (
        "Read an integer n and print the sum of its decimal digits. "
        "If n is negative, ignore the sign. "
        "For example, the answer for -305 is 8. "
        "Compute the sum in a function that returns it; main reads n and prints the answer.\n",
        """Sum of Digits

Write a C++ program that reads one integer n and prints the sum of its decimal
digits. If n is negative, the minus sign is ignored: the digits of -305 are
3, 0 and 5. Use the operators % and / to extract the digits one by one.
Write a function that takes n and returns the sum of its digits; main reads
the input, calls the function and prints its result.

Input format:
A single line containing the integer n.

Output format:
Print a single integer: the sum of the digits of n, followed by a newline.
Do not print anything else (no prompts such as "Enter a number").

Constraints:
-1000000000 <= n <= 1000000000

Example:
Input:
4096
Output:
19

Explanation: 4 + 0 + 9 + 6 = 19.
""",
    ),
    "lab02_prime_check": (
        "Read an integer n and print YES if n is a prime number, otherwise print NO. "
        "Remember that 0 and 1 are not prime.\n",
        """Prime Check

Write a C++ program that reads an integer n and decides whether it is prime.
A prime number is an integer greater than 1 whose only positive divisors are
1 and itself. Note that 0 and 1 are not prime.

Input format:
A single line containing the integer n.

Output format:
Print YES if n is prime and NO otherwise, in capital letters, followed by a
newline. Do not print any prompts.

Constraints:
0 <= n <= 1000000

Example 1:
Input:
97
Output:
YES

Example 2:
Input:
1
Output:
NO
""",
    ),
    "lab03_reverse_array": (
        "Read n followed by n integers and print them in reverse order on one line. "
        "Separate the numbers by single spaces. "
        "n is at most 1000.\n",
        """Reverse an Array

Write a C++ program that reads an array of n integers and prints its elements
in reverse order, from the last element to the first. Store the elements in an
array (or a vector) before printing.

Input format:
The first line contains n, the number of elements.
The second line contains n integers separated by spaces.

Output format:
Print the n integers in reverse order on a single line, separated by single
spaces, followed by a newline. A trailing space at the end of the line is
accepted. Do not print any prompts.

Constraints:
1 <= n <= 1000
-1000000 <= each element <= 1000000

Example:
Input:
5
1 2 3 4 5
Output:
5 4 3 2 1
""",
    ),
    "lab04_gcd_lcm": (
        "Read two positive integers a and b. "
        "Print their greatest common divisor and their least common multiple separated by a space. "
        "Note that the LCM can be as large as 10^18. "
        "Compute the GCD in a function that returns it; main reads the input and prints the answer.\n",
        """GCD and LCM

Write a C++ program that reads two positive integers a and b and prints their
greatest common divisor (GCD) and their least common multiple (LCM). Use the
Euclidean algorithm for the GCD: gcd(a, b) = gcd(b, a mod b), and gcd(a, 0) = a.
The LCM can then be computed from lcm(a, b) = a / gcd(a, b) * b. Be careful:
the LCM may not fit in an int. Write a function that takes a and b and returns
their GCD; main reads the input, calls the function and prints the answer.

Input format:
A single line containing two integers a and b separated by a space.

Output format:
Print the GCD and the LCM on one line, separated by a single space.

Constraints:
1 <= a, b <= 1000000000

Example:
Input:
12 18
Output:
6 36
""",
    ),
    "lab05_factorial": (
        "Read a non-negative integer n (at most 20) and print n!. "
        "Recall that 0! = 1. "
        "Compute n! in a function that returns it; main reads n and prints the answer.\n",
        """Factorial

Write a C++ program that reads a non-negative integer n and prints n!, the
product 1 * 2 * ... * n. By definition 0! = 1. Since 20! = 2432902008176640000,
choose a data type that can hold the result exactly. Write a function that
takes n and returns n!; main reads the input, calls the function and prints
its result.

Input format:
A single line containing the integer n.

Output format:
Print n! as an integer, followed by a newline.

Constraints:
0 <= n <= 20

Example 1:
Input:
5
Output:
120

Example 2:
Input:
0
Output:
1
""",
    ),
    "lab06_palindrome": (
        "Read a single word and print Yes if it reads the same forwards and backwards, otherwise print No. "
        "Compare the characters from both ends of the word.\n",
        """Palindrome Check

Write a C++ program that reads one word made of lowercase letters and decides
whether it is a palindrome, i.e. whether it reads the same forwards and
backwards. Compare the first character with the last, the second with the
second last, and so on, stopping at the middle of the word.

Input format:
A single line containing the word s.

Output format:
Print Yes if s is a palindrome and No otherwise (exactly these words, with a
capital first letter), followed by a newline. Do not print any prompts.

Constraints:
1 <= length of s <= 1000

Example 1:
Input:
level
Output:
Yes

Example 2:
Input:
lever
Output:
No
""",
    ),
}


# --------------------------------------------------------------------------
# Labs
# --------------------------------------------------------------------------


@dataclass
class LabSpec:
    name: str
    criteria: list[Criterion]
    program: object  # callable(rng, truth, style) -> str
    slug: str  # used in some submission file names


SPECS = [
    LabSpec("lab01_sum_of_digits", LAB01_CRITERIA, lab01_program, "sum_of_digits"),
    LabSpec("lab02_prime_check", LAB02_CRITERIA, lab02_program, "prime"),
    LabSpec("lab03_reverse_array", LAB03_CRITERIA, lab03_program, "reverse"),
    LabSpec("lab04_gcd_lcm", LAB04_CRITERIA, lab04_program, "gcd_lcm"),
    LabSpec("lab05_factorial", LAB05_CRITERIA, lab05_program, "factorial"),
    LabSpec("lab06_palindrome", LAB06_CRITERIA, lab06_program, "palindrome"),
]
HELD_OUT = ("lab05_factorial", "lab06_palindrome")

# TA comments written into chosen cells of lab05, by criterion key and rating.
LAB05_COMMENTS = {
    "bounds": {"A": ["Loop bounds ok", "Correct loop"],
               "B": ["Loop stops one step early", "Should be i <= n", "Off by one at the end of the loop"],
               "C": ["Loop starts at the wrong value", "Check the starting value of i", "Off by one at the start"]},
    "edge": {"A": ["Handles n = 0 correctly", "0! = 1 ok", "Good"],
             "B": ["Wrong output for n = 0", "Fails for n = 0", "0! should be 1", "n = 0 case not handled"]},
    "names": {"A": ["Good names", "Clear variable names"],
              "B": ["Names could be more descriptive", "Ok names"],
              "C": ["Single letter names", "Poor variable names", "Use meaningful names"]},
    "func": {"A": ["Good use of a function", "Nice helper function"],
             "B": ["The function should return the value, not print it",
                   "Do the input and output in main", "Function mixes I/O with the computation"],
             "C": ["Write a separate function", "Everything is in main", "Use a function for n!"]},
}


@dataclass
class Student:
    sid: str  # full id, e.g. 22b1234@iitb.ac.in
    skill: float


@dataclass
class Lab:
    name: str
    criteria: list[Criterion]
    students: list[str] = field(default_factory=list)  # sorted ids
    truth: dict[str, dict[str, str]] = field(default_factory=dict)  # sid -> title -> letter
    ta: dict[str, dict[str, str]] = field(default_factory=dict)  # sid -> title -> letter
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> content


def make_roster(rng: random.Random, count: int) -> list[Student]:
    ids: set[str] = set()
    roster = []
    while len(roster) < count:
        year = rng.choice(["21", "22", "22", "23"])
        form = rng.random()
        if form < 0.8:
            local = f"{year}b{rng.randrange(10000):04d}"
        elif form < 0.93:
            local = f"{year}{rng.choice(['0050', '0070', '0100'])}{rng.randrange(1000):03d}"
        else:
            local = f"{year}d{rng.randrange(10000):04d}"
        if local in ids:
            continue
        ids.add(local)
        roster.append(Student(f"{local}@iitb.ac.in", max(-2.5, min(2.5, rng.gauss(0.0, 1.0)))))
    return roster


def draw_rating(rng: random.Random, crit: Criterion, skill: float) -> str:
    """Tilt the base probabilities towards A for skilled students, towards the last rating for weak ones."""
    base = BASE_PROBS[len(crit.ratings)]
    probs = [p * math.exp(-SKILL_WEIGHT * skill * k) for k, p in enumerate(base)]
    return rng.choices(crit.letters, weights=probs)[0]


def neighbour(rng: random.Random, letters: list[str], letter: str) -> str:
    i = letters.index(letter)
    options = [j for j in (i - 1, i + 1) if 0 <= j < len(letters)]
    return letters[rng.choice(options)]


def rubric_json(lab_no: int, crits: list[Criterion], shuffle_order: bool) -> bytes:
    base = 4000 + 137 * lab_no
    out = []
    for ci, crit in enumerate(crits):
        cid = base + ci
        ratings = [
            {"id": cid * 10 + ri, "title": t, "description": d, "marks": m}
            for ri, (t, d, m) in enumerate(crit.ratings)
        ]
        if shuffle_order and len(ratings) >= 3:
            ratings = [ratings[2], ratings[0], ratings[1]] + ratings[3:]  # C, A, B
        elif shuffle_order:
            ratings = ratings[::-1]
        out.append({"id": cid, "title": crit.title, "description": crit.description, "Ratings": ratings})
    return (json.dumps(out, indent=2) + "\n").encode("utf-8")


def ratings_csv(lab: Lab, rng: random.Random, comments: bool, crlf: bool, bom: bool) -> bytes:
    header = [[""] for _ in range(6)]
    header[5] = ["Email"]
    for crit in lab.criteria:
        for t, d, m in crit.ratings:
            header[0].append(crit.title)
            header[1].append(crit.description)
            header[2].append(t)
            header[3].append(d)
            header[4].append(str(m))
            header[5].append("")
    rows = list(header)
    for sid in lab.students:
        row = [sid]
        for crit in lab.criteria:
            chosen = lab.ta[sid][crit.title]
            for t, _, _ in crit.ratings:
                if t != chosen:
                    row.append("0")
                elif comments and rng.random() < 0.25:
                    if rng.random() < 0.3:
                        row.append("No Comments")
                    else:
                        row.append(rng.choice(LAB05_COMMENTS[crit.key][t]))
                else:
                    row.append("1")
        rows.append(row)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def file_name(rng: random.Random, spec: LabSpec, lab_no: int, local: str) -> str:
    return rng.choice(["main.cpp", "main.cpp", "sol.cpp", "solution.cpp", f"{spec.slug}.cpp",
                       f"lab{lab_no:02d}.cpp", f"{local}.cpp", "code.cpp", f"Lab{lab_no}.cpp", "q1.cpp"])


def fake_binary(rng: random.Random) -> bytes:
    body = bytes(rng.randrange(256) for _ in range(96))
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + body + b"GCC: (Ubuntu 11.4.0) 11.4.0\x00"


def build_lab(seed: int, lab_no: int, spec: LabSpec, roster: list[Student], count: int) -> Lab:
    rng = random.Random(f"generate_labs:{seed}:{spec.name}")
    lab = Lab(spec.name, spec.criteria)
    chosen = sorted(rng.sample(roster, count), key=lambda s: s.sid)
    lab.students = [s.sid for s in chosen]

    # 1. true ratings, drawn per student and criterion
    for stu in chosen:
        lab.truth[stu.sid] = {c.title: draw_rating(rng, c, stu.skill) for c in spec.criteria}

    # 2. TA ratings: a neighbouring rating for 8-10% of the items
    items = [(sid, c.title) for sid in lab.students for c in spec.criteria]
    rate = rng.uniform(0.08, 0.10)
    flipped = set(rng.sample(items, round(rate * len(items))))
    by_title = {c.title: c for c in spec.criteria}
    for sid in lab.students:
        lab.ta[sid] = {}
        for title, letter in lab.truth[sid].items():
            if (sid, title) in flipped:
                letter = neighbour(rng, by_title[title].letters, letter)
            lab.ta[sid][title] = letter

    # 3. statements and rubric
    short, long_ = STATEMENTS[spec.name]
    lab.files["modified_ps.txt"] = short.encode("utf-8")
    lab.files["problemStatement.txt" if lab_no == 4 else "ps.txt"] = long_.encode("utf-8")
    lab.files["rubrics.json"] = rubric_json(lab_no, spec.criteria, shuffle_order=lab_no == 6)
    lab.files["rubric_ratings.csv"] = ratings_csv(
        lab, rng, comments=lab_no == 5, crlf=lab_no == 2, bom=lab_no == 2)

    # 4. submissions
    sources: dict[str, str] = {}
    for sid in lab.students:
        truth = {c.key: lab.truth[sid][c.title] for c in spec.criteria}
        style = draw_style(rng)
        local = sid.split("@")[0]
        path = f"submissions/{sid}/{file_name(rng, spec, lab_no, local)}"
        sources[sid] = path
        lab.files[path] = spec.program(rng, truth, style).encode("utf-8")

    if lab_no == 1:
        # a few sources with Windows line ends, one with a Latin-1 byte in a comment
        for sid in sorted(rng.sample(lab.students, min(5, count))):
            path = sources[sid]
            lab.files[path] = lab.files[path].replace(b"\n", b"\r\n")
        commented = [sid for sid in lab.students
                     if b"// " in lab.files[sources[sid]] and b"\r\n" not in lab.files[sources[sid]]]
        if commented:
            sid = rng.choice(commented)
            text = lab.files[sources[sid]].decode("utf-8")
            text = "// Solution (m\u00e9thode it\u00e9rative)\n" + text
            lab.files[sources[sid]] = text.encode("latin-1")
    if lab_no == 2:
        for i, (inp, out) in enumerate([("97", "YES"), ("1", "NO"), ("0", "NO"), ("2", "YES"),
                                         ("91", "NO"), ("999983", "YES")], start=1):
            lab.files[f"testcases/input{i}.txt"] = (inp + "\n").encode()
            lab.files[f"testcases/output{i}.txt"] = (out + "\n").encode()
        for sid in sorted(rng.sample(lab.students, min(2, count))):
            folder = sources[sid].rsplit("/", 1)[0]
            lab.files[f"{folder}/notes.txt"] = rng.choice([
                b"compiled with g++ prime.cpp, works for the sample\n",
                b"tested with 1, 2, 97 and 100\n",
            ])
    if lab_no == 4:
        for sid in sorted(rng.sample(lab.students, min(3, count))):
            folder = sources[sid].rsplit("/", 1)[0]
            lab.files[f"{folder}/a.out"] = fake_binary(rng)
    return lab


def build_labs(seed: int = 0, students: int = 48) -> list[Lab]:
    """Build all labs in memory (nothing is written)."""
    rng = random.Random(f"generate_labs:{seed}:roster")
    roster = make_roster(rng, students + max(4, students // 6))
    return [build_lab(seed, i, spec, roster, students) for i, spec in enumerate(SPECS, start=1)]


def write_labs(labs: list[Lab], out: Path, seed: int, students: int) -> None:
    if out.exists():
        if not out.is_dir():
            raise SystemExit(f"error: {out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise SystemExit(f"error: {out} is not empty and has no {MARKER} marker; not removing it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_bytes(
        f"Written by examples/generate_labs.py --seed {seed} --students {students}.\n"
        "This whole folder is removed and rewritten when the script runs again.\n".encode())
    for lab in labs:
        for rel, data in sorted(lab.files.items()):
            path = out / lab.name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "labs",
                        help="output folder (default: examples/labs next to this script)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--students", type=int, default=48, help="students per lab (default 48)")
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")
    labs = build_labs(args.seed, args.students)
    write_labs(labs, args.out, args.seed, args.students)
    total = sum(len(d) for lab in labs for d in lab.files.values())
    print(f"wrote {len(labs)} labs with {args.students} students each to {args.out} ({total} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
