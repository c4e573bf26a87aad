"""The preference losses, as pure functions of per-pair log-probabilities (no model, no trainer).

Each term is TRL's (`trl.DPOTrainer._compute_loss`, TRL 1.16, reverse-KL DPO) for the same pairs,
so the grouped trainer, which gets the log-probabilities from packed sequences, trains on
exactly the loss TRL would. Tested against hand-computed numbers (tests/test_loss.py) and
against TRL itself on the same batch (tests/test_grouped_dpo.py).

For pair i (the TA's answer c_i against another rating's answer r_i), with policy and reference
summed answer log-probabilities logp and ref:

    delta_i = (logp(c_i) - ref(c_i)) - (logp(r_i) - ref(r_i))

    sigmoid   -log sigma(beta delta_i)                                              (DPO)
    hinge     max(0, 1 - beta delta_i)                                              (SLiC)
    ipo       (delta_i / len - 1/(2 beta))^2, delta from per-token averages         (IPO)
    robust    (-(1-e) log sigma(beta delta_i) + e log sigma(-beta delta_i)) / (1-2e)  (rDPO, e = label_smoothing)
    exo_pair  q log(q/(1-e)) + (1-q) log((1-q)/e), q = sigma(beta delta_i)          (EXO, e = label_smoothing)
    sft       -(sum_i logp(c_i)) / (sum_i |c_i|): the chosen answers' mean token NLL
    choice    per item j (not per pair): -log softmax(z_j)[t_j], z_j the logits of the item's option
              letters at the position that predicts the letter, t_j the TA's option: cross-entropy of a
              classifier over the item's options, the decision that grading is (not in TRL)

The loss is sum_k weight_k * mean_i term_k(i) (the SFT term is one number per batch; the choice
term a mean over items).
`label_smoothing` models noisy TA labels: with probability e a pair's preference is flipped.

Given `n_pairs` (and `n_chosen_tokens`), each term is instead the SUM over these pairs divided by
that count (the SFT term: the chosen answers' summed log-probabilities by `n_chosen_tokens`): the
share of one micro-batch, or one process, in a loss normalized over a whole step. The shares of
the parts of a step then add up to the loss of the whole step computed at once, however the
pairs are split between processes and gradient-accumulation micro-batches.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

LOSS_TYPES = ("sigmoid", "hinge", "ipo", "robust", "exo_pair", "sft", "choice")
NEEDS_REFERENCE = {"sigmoid", "hinge", "ipo", "robust", "exo_pair"}
NEEDS_REJECTED = NEEDS_REFERENCE  # terms that read the other ratings' full answers (sft, choice do not)


def check_loss_options(loss_types: list[str], loss_weights: list[float] | None, label_smoothing: float) -> list[str]:
    """Every problem with a loss setting, as messages (empty when fine)."""
    problems = [f"loss_type {t!r}: the grouped trainer implements {list(LOSS_TYPES)}"
                for t in loss_types if t not in LOSS_TYPES]
    if loss_weights is not None and len(loss_weights) != len(loss_types):
        problems.append(f"loss_weights {loss_weights} must give one weight per loss_type {loss_types}")
    if label_smoothing and not {"robust", "exo_pair"} & set(loss_types):
        problems.append(f"label_smoothing={label_smoothing} has no effect with loss_type {loss_types} (TRL uses it "
                        "only in 'robust' and 'exo_pair'): use loss_type robust")
    if "robust" in loss_types and not 0.0 <= label_smoothing < 0.5:
        problems.append(f"label_smoothing must lie in [0, 0.5) for 'robust', got {label_smoothing}")
    if "exo_pair" in loss_types and not 0.0 < label_smoothing < 1.0:
        problems.append(f"label_smoothing must lie in (0, 1) for 'exo_pair', got {label_smoothing}")
    return problems


def needs_reference(loss_types: list[str]) -> bool:
    return bool(NEEDS_REFERENCE & set(loss_types))


def needs_rejected(loss_types: list[str]) -> bool:
    """Whether any term reads the rejected answers: without one (sft, choice), only each item's chosen
    answer is packed and no reference pass runs."""
    return bool(NEEDS_REJECTED & set(loss_types))


def choice_loss(option_logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Per-item cross-entropy of a classifier over the item's options, [I].

    `option_logits` [I, K]: the model's logits of each option's letter token at the position that
    predicts the letter (items with fewer than K options padded with -inf); `labels` [I]: the
    TA's option. Only the options compete: the rest of the vocabulary does not enter the loss.
    """
    if option_logits.shape[0] == 0:
        return option_logits.new_zeros(0)
    return -torch.log_softmax(option_logits.float(), dim=-1).gather(1, labels[:, None]).squeeze(1)


def pair_term(loss_type: str, chosen_logratios: torch.Tensor, rejected_logratios: torch.Tensor,
              chosen_lengths: torch.Tensor, rejected_lengths: torch.Tensor, beta: float,
              label_smoothing: float) -> torch.Tensor:
    """One preference term per pair [P] (module docstring), from the policy-minus-reference log-ratios."""
    delta = chosen_logratios - rejected_logratios
    e = label_smoothing
    if loss_type == "sigmoid":
        return -F.logsigmoid(beta * delta)
    if loss_type == "hinge":
        return torch.relu(1 - beta * delta)
    if loss_type == "ipo":
        average = chosen_logratios / chosen_lengths.clamp(min=1) - rejected_logratios / rejected_lengths.clamp(min=1)
        return (average - 1 / (2 * beta)) ** 2
    if loss_type == "robust":
        return (-(1 - e) * F.logsigmoid(beta * delta) + e * F.logsigmoid(-beta * delta)) / (1 - 2 * e)
    if loss_type == "exo_pair":
        q_win, q_lose = torch.sigmoid(beta * delta), torch.sigmoid(-beta * delta)
        return (q_win * (F.logsigmoid(beta * delta) - math.log1p(-e))
                + q_lose * (F.logsigmoid(-beta * delta) - math.log(e)))
    raise ValueError(f"loss_type {loss_type!r} is not a preference term")


def preference_loss(chosen_logps: torch.Tensor, rejected_logps: torch.Tensor,
                    ref_chosen_logps: torch.Tensor | None, ref_rejected_logps: torch.Tensor | None, *,
                    chosen_lengths: torch.Tensor, rejected_lengths: torch.Tensor, beta: float,
                    loss_types: list[str] = ("sigmoid",), loss_weights: list[float] | None = None,
                    label_smoothing: float = 0.0, n_pairs: torch.Tensor | float | None = None,
                    n_chosen_tokens: torch.Tensor | float | None = None,
                    option_logits: torch.Tensor | None = None, option_labels: torch.Tensor | None = None,
                    n_items: torch.Tensor | float | None = None
                    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """The weighted loss over P pairs, and each term's value.

    All tensors are [P]: summed answer log-probabilities of the policy and the reference (the
    reference may be None when only `sft` is asked for), and the answers' token counts. Each term
    is the mean over the P pairs (the SFT term: per chosen token), or, given `n_pairs` (and
    `n_chosen_tokens`), the sum over the P pairs divided by that count of a whole step's pairs
    (and of their chosen tokens). P may be 0 (a batch of padding rows): every term is then 0.
    The `choice` term needs `option_logits` [I, K] and `option_labels` [I] (`choice_loss`) and is
    the mean over the I items, or their sum divided by `n_items` (a whole step's items).
    """
    problems = check_loss_options(list(loss_types), loss_weights, label_smoothing)
    if problems:
        raise ValueError("; ".join(problems))
    if (n_pairs is None) != (n_chosen_tokens is None):
        raise ValueError("give both n_pairs and n_chosen_tokens (a whole step's counts), or neither")
    if "choice" in loss_types and (option_logits is None or option_labels is None):
        raise ValueError("loss_type 'choice' needs option_logits and option_labels")
    weights = loss_weights or [1.0] * len(loss_types)
    if n_pairs is None:  # this batch alone: the mean over its pairs, TRL's normalization
        n_pairs = chosen_logps.new_tensor(float(max(chosen_logps.shape[0], 1)))
        n_chosen_tokens = chosen_lengths.sum().clamp(min=1)
    if n_items is None and option_labels is not None:
        n_items = max(option_labels.shape[0], 1)
    logratios = None
    if needs_reference(loss_types):
        if ref_chosen_logps is None or ref_rejected_logps is None:
            raise ValueError(f"loss_type {list(loss_types)} needs the reference log-probabilities")
        logratios = (chosen_logps - ref_chosen_logps, rejected_logps - ref_rejected_logps)
    terms: dict[str, torch.Tensor] = {}
    for loss_type in loss_types:
        if loss_type == "sft":  # the chosen answers' mean token NLL
            terms[loss_type] = -chosen_logps.sum() / n_chosen_tokens
        elif loss_type == "choice":  # a classifier over each item's options
            terms[loss_type] = choice_loss(option_logits, option_labels).sum() / n_items
        else:
            per_pair = pair_term(loss_type, *logratios, chosen_lengths, rejected_lengths, beta, label_smoothing)
            terms[loss_type] = per_pair.sum() / n_pairs
    loss = sum(terms[t] * w for t, w in zip(loss_types, weights))
    return loss, terms
