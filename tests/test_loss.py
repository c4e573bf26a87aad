"""The preference losses against numbers worked out by hand (see Utils/loss.py for the formulas)."""

import math

import pytest
import torch

from Utils.loss import check_loss_options, preference_loss

# Two pairs. Policy and reference summed log-probabilities of the chosen and rejected answers:
#   pair 1: chosen -2 (ref -3), rejected -4 (ref -3)  -> logratios +1, -1 -> delta 2
#   pair 2: chosen -5 (ref -4), rejected -3 (ref -4)  -> logratios -1, +1 -> delta -2
CHOSEN, REJECTED = torch.tensor([-2.0, -5.0]), torch.tensor([-4.0, -3.0])
REF_CHOSEN, REF_REJECTED = torch.tensor([-3.0, -4.0]), torch.tensor([-3.0, -4.0])
CHOSEN_LEN, REJECTED_LEN = torch.tensor([2.0, 5.0]), torch.tensor([4.0, 1.0])
BETA = 0.5


def loss(**kwargs):
    value, terms = preference_loss(CHOSEN, REJECTED, REF_CHOSEN, REF_REJECTED, chosen_lengths=CHOSEN_LEN,
                                   rejected_lengths=REJECTED_LEN, beta=BETA, **kwargs)
    return value.item(), {k: v.item() for k, v in terms.items()}


def log_sigmoid(x):
    return -math.log1p(math.exp(-x))


def test_sigmoid_is_the_dpo_loss():
    # beta * delta = +1 and -1: mean of -log sigma(1) = 0.31326 and -log sigma(-1) = 1.31326
    assert loss()[0] == pytest.approx((0.313262 + 1.313262) / 2, abs=1e-5)


def test_hinge_and_ipo():
    assert loss(loss_types=["hinge"])[0] == pytest.approx((max(0, 1 - 1) + max(0, 1 + 1)) / 2)
    # per-token average delta: pair 1: 1/2 - (-1)/4 = 0.75; pair 2: -1/5 - 1/1 = -1.2; target 1/(2 beta) = 1
    assert loss(loss_types=["ipo"])[0] == pytest.approx(((0.75 - 1) ** 2 + (-1.2 - 1) ** 2) / 2)


def test_robust_label_smoothing_flips_with_probability_e():
    e = 0.1
    expected = [(-(1 - e) * log_sigmoid(x) + e * log_sigmoid(-x)) / (1 - 2 * e) for x in (1.0, -1.0)]
    assert loss(loss_types=["robust"], label_smoothing=e)[0] == pytest.approx(sum(expected) / 2, rel=1e-6)
    # e = 0 is plain DPO
    assert loss(loss_types=["robust"])[0] == pytest.approx(loss()[0])


def test_exo_pair():
    e = 0.01
    terms = []
    for x in (1.0, -1.0):
        q = 1 / (1 + math.exp(-x))
        terms.append(q * (math.log(q) - math.log(1 - e)) + (1 - q) * (math.log(1 - q) - math.log(e)))
    assert loss(loss_types=["exo_pair"], label_smoothing=e)[0] == pytest.approx(sum(terms) / 2, rel=1e-6)


def test_sft_is_the_chosen_answers_mean_token_nll_and_terms_are_weighted():
    # -(-2 + -5) / (2 + 5) = 1 nat per token
    value, terms = loss(loss_types=["sigmoid", "sft"], loss_weights=[1.0, 0.25])
    assert terms["sft"] == pytest.approx(1.0)
    assert value == pytest.approx(terms["sigmoid"] + 0.25 * 1.0)
    only, _ = preference_loss(CHOSEN, REJECTED, None, None, chosen_lengths=CHOSEN_LEN, rejected_lengths=REJECTED_LEN,
                              beta=BETA, loss_types=["sft"])  # needs no reference
    assert only.item() == pytest.approx(1.0)


def test_gradients_flow_to_the_log_probabilities():
    chosen = CHOSEN.clone().requires_grad_()
    value, _ = preference_loss(chosen, REJECTED, REF_CHOSEN, REF_REJECTED, chosen_lengths=CHOSEN_LEN,
                               rejected_lengths=REJECTED_LEN, beta=BETA)
    value.backward()
    # d/dc of mean_i -log sigma(beta delta_i) = -beta sigma(-beta delta_i) / 2
    expected = [-BETA * (1 / (1 + math.exp(x))) / 2 for x in (1.0, -1.0)]
    assert chosen.grad.tolist() == pytest.approx(expected, rel=1e-6)


def test_bad_settings_are_named_together():
    problems = check_loss_options(["sigmoid", "nca_pair"], [1.0], 0.2)
    assert any("nca_pair" in p for p in problems)
    assert any("one weight per loss_type" in p for p in problems)
    assert any("label_smoothing=0.2 has no effect" in p for p in problems)
    with pytest.raises(ValueError, match="needs the reference"):
        preference_loss(CHOSEN, REJECTED, None, None, chosen_lengths=CHOSEN_LEN, rejected_lengths=REJECTED_LEN,
                        beta=BETA)


def test_choice_term_is_the_cross_entropy_over_each_items_options():
    """Two items: 2 options (logits 2, 0; TA: A) and 3 options (0, 1, 0; TA: C), hand-computed."""
    from Utils.loss import choice_loss

    logits = torch.tensor([[2.0, 0.0, float("-inf")], [0.0, 1.0, 0.0]])
    labels = torch.tensor([0, 2])
    first = -math.log(math.exp(2) / (math.exp(2) + 1))
    second = -math.log(1 / (1 + math.e + 1))
    assert choice_loss(logits, labels).tolist() == pytest.approx([first, second], rel=1e-6)
    value, terms = preference_loss(CHOSEN, REJECTED, None, None, chosen_lengths=CHOSEN_LEN,
                                   rejected_lengths=REJECTED_LEN, beta=BETA, loss_types=["choice"],
                                   option_logits=logits, option_labels=labels)
    assert value.item() == pytest.approx((first + second) / 2, rel=1e-6)  # a mean over items, not pairs
    shared, _ = preference_loss(CHOSEN, REJECTED, None, None, chosen_lengths=CHOSEN_LEN, rejected_lengths=REJECTED_LEN,
                                beta=BETA, loss_types=["choice"], option_logits=logits, option_labels=labels,
                                n_pairs=2.0, n_chosen_tokens=10.0, n_items=4.0)
    assert shared.item() == pytest.approx((first + second) / 4, rel=1e-6)  # this batch's share of a 4-item step
    with pytest.raises(ValueError, match="option_logits"):
        preference_loss(CHOSEN, REJECTED, None, None, chosen_lengths=CHOSEN_LEN, rejected_lengths=REJECTED_LEN,
                        beta=BETA, loss_types=["choice"])
    assert choice_loss(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long)).numel() == 0
