"""The reference grader: what the TAs' ratings teach without a language model.

Per criterion title (pooled over the labs that grade it), an L2-regularised logistic regression
on surface features of the student's code (word and symbol tokens and their bigrams, clipped
counts; leading-whitespace widths; mean identifier length; single-letter identifiers), trained on
the training items of the builder's pairs and asked about the scored items. A fine-tuned grader
below it is not using what the data offers; evaluate.py reports it beside the constant answer.
Seconds on a CPU; no torch.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from Utils.items import Item
from Utils.metrics import Prediction

TOKEN = re.compile(r"[A-Za-z_]+|\d+|[^\sA-Za-z_\d]{1,2}")
MAX_COUNT = 5  # counts are clipped: one more repetition of a token says little
L2 = 1e-2  # per-item penalty (sklearn's C = 1 / (L2 * items))


def features(code: str) -> Counter:
    tokens = TOKEN.findall(code)
    out = Counter(tokens)
    out.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))
    for line in code.split("\n"):
        if line.strip():
            width = len(line) - len(line.lstrip(" \t"))
            out[f"<indent mod 4 = {width % 4}>"] += 1
    names = [t for t in tokens if t[0].isalpha() or t[0] == "_"]
    if names:
        out[f"<mean name length {min(8, sum(map(len, names)) // len(names))}>"] += 1
        out["<one-letter names>"] += sum(len(t) == 1 for t in names)
    return Counter({k: min(v, MAX_COUNT) for k, v in out.items()})


def fit_predict(train: list[Item], test: list[Item], l2: float = L2) -> list[str | None]:
    """One criterion's test items answered by a logistic regression fitted on its training items.
    A criterion trained on one rating only answers that rating; with no training item, None."""
    classes = sorted({i.true_option for i in train})
    if not classes:
        return [None] * len(test)
    if len(classes) == 1:
        return [classes[0]] * len(test)
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x_train = vectorizer.fit_transform([features(i.code or "") for i in train])
    model = LogisticRegression(C=1.0 / (l2 * len(train)), max_iter=1000)
    model.fit(x_train, [i.true_option for i in train])
    if not test:
        return []
    return list(model.predict(vectorizer.transform([features(i.code or "") for i in test])))


def reference_predictions(train: list[Item], test: list[Item]) -> list[Prediction]:
    """Every test item answered by the reference grader of its criterion title, in test order."""
    train_by_title: dict[str, list[Item]] = defaultdict(list)
    for item in train:
        train_by_title[item.criterion].append(item)
    test_by_title: dict[str, list[int]] = defaultdict(list)
    for k, item in enumerate(test):
        test_by_title[item.criterion].append(k)
    answers: list[str | None] = [None] * len(test)
    for title, indices in test_by_title.items():
        for k, guess in zip(indices, fit_predict(train_by_title.get(title, []), [test[k] for k in indices])):
            answers[k] = guess
    return [Prediction(i.lab, i.student_id, i.criterion, i.true_option, guess, tuple(i.options))
            for i, guess in zip(test, answers)]
