"""A causal language model on the digit task of c50_transformer_reverse.

Each training sequence is 8 random digits, a separator, then the same digits reversed:
`3 1 4 1 5 9 2 6 | 6 2 9 5 1 4 1 3`. The model learns to predict every next token of the
answer from the tokens before it (teacher forcing: the whole sequence goes in at once). At test
time it must *generate* the answer: given the digits and the separator, predict a token, append
it, predict the next, and so on. That only works if, in training, no position could see the
token it was asked to predict: the causal mask (your code).

`future_leak` measures the mask directly: the largest change in the logits at positions
before t when only the token at t is changed (0 for a causal model).
"""

import torch
import torch.nn.functional as F
from model import LanguageModel, count
from optim import Adam

from studyterm import labkit

SEPARATOR = 10
VOCAB = 11  # the digits and the separator


def pick_device(choice):
    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return choice


def sequences(digits):
    """digits (N, L) -> (N, 2L + 1): the digits, the separator, the digits reversed."""
    separator = torch.full((len(digits), 1), SEPARATOR, dtype=digits.dtype, device=digits.device)
    return torch.cat([digits, separator, digits.flip(dims=[1])], dim=1)


def answer_loss(model, batch, length):
    """Cross-entropy of predicting each answer token from everything before it."""
    logits = model(batch[:, :-1])[:, length:]  # the outputs at the separator and after it
    return F.cross_entropy(logits.reshape(-1, VOCAB), batch[:, length + 1:].reshape(-1))


@torch.no_grad()
def generate(model, prompt, steps):
    """Greedy decoding: append the most likely next token `steps` times."""
    model.eval()
    tokens = prompt
    for _ in range(steps):
        next_token = model(tokens)[:, -1].argmax(dim=-1, keepdim=True)
        tokens = torch.cat([tokens, next_token], dim=1)
    return tokens[:, prompt.shape[1]:]


@torch.no_grad()
def future_leak(model, batch):
    """Largest |change| of the logits before position t when the token at t changes."""
    model.eval()
    t = batch.shape[1] // 2
    changed = batch.clone()
    changed[:, t] = (changed[:, t] + 1) % 10
    return (model(batch)[:, :t] - model(changed)[:, :t]).abs().max().item()


def main():
    labkit.require("torch")
    params = labkit.params()
    torch.set_num_threads(params["threads"])
    torch.manual_seed(params["seed"])
    device = pick_device(params["device"])
    length = params["length"]
    model = LanguageModel(VOCAB, 2 * length + 1, params["d_model"], params["heads"],
                          2 * params["d_model"], params["layers"], causal=params["causal"])
    model.to(device)
    test_digits = torch.randint(0, 10, (1000, length),
                                generator=torch.Generator().manual_seed(12345)).to(device)
    print(f"{count(model)} parameters; causal mask {'on' if params['causal'] else 'off'}")
    optimizer = Adam(model.parameters(), lr=params["lr"])
    steps = params["steps"]
    for step in range(1, steps + 1):
        # the learning rate falls linearly to 0: at a constant rate, Adam's late steps on an
        # almost-zero loss can knock a solved model off its solution
        optimizer.lr = params["lr"] * (1 - (step - 1) / steps)
        model.train()
        batch = sequences(torch.randint(0, 10, (params["batch_size"], length), device=device))
        loss = answer_loss(model, batch, length)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 10 == 0 or step == steps:
            labkit.metric("loss", step, loss.item())
        labkit.progress(step, steps)
    test = sequences(test_digits)
    model.eval()
    with torch.no_grad():
        teacher_forced = answer_loss(model, test, length).item()
    generated = generate(model, test[:, :length + 1], length)
    right = generated == test[:, length + 1:]
    results = {"sequence_accuracy": right.all(dim=1).float().mean().item(),
               "token_accuracy": right.float().mean().item(),
               "teacher_forced_loss": teacher_forced,
               "future_leak": future_leak(model, test[:64])}
    print(", ".join(f"{k} {v:.4g}" for k, v in results.items()))
    labkit.result(results)


if __name__ == "__main__":
    main()
