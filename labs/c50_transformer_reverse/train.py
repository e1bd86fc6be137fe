"""A 2-layer transformer encoder learns to reverse sequences of digits.

Every position must output the digit at the mirrored position, so the model can only succeed
by knowing where each token is: the positional encoding (your code) is what tells it, and your
attention is how each position fetches its mirror. Training sequences are drawn fresh at every
step; the test set is 1,000 other random sequences. Sequence accuracy counts a sequence right
only when every one of its digits is.
"""

import torch
import torch.nn.functional as F
from model import Encoder, count
from optim import Adam

from studyterm import labkit


def pick_device(choice):
    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return choice


def task(tokens):
    return tokens.flip(dims=[1])


@torch.no_grad()
def evaluate(model, tokens):
    model.eval()
    predicted = model(tokens).argmax(dim=-1)
    right = predicted == task(tokens)
    return right.all(dim=1).float().mean().item(), right.float().mean().item()


def main():
    labkit.require("torch")
    params = labkit.params()
    torch.set_num_threads(params["threads"])
    torch.manual_seed(params["seed"])
    device = pick_device(params["device"])
    length, vocab = params["length"], 10
    model = Encoder(vocab, length, params["d_model"], params["heads"], 2 * params["d_model"],
                    params["layers"]).to(device)
    test = torch.randint(0, vocab, (1000, length), generator=torch.Generator().manual_seed(12345))
    test = test.to(device)
    print(f"{count(model)} parameters; reversing {length} digits on {device}")
    optimizer = Adam(model.parameters(), lr=params["lr"])
    steps = params["steps"]
    for step in range(1, steps + 1):
        # the learning rate falls linearly to 0: at a constant rate, Adam's late steps on an
        # almost-zero loss can knock a solved model off its solution
        optimizer.lr = params["lr"] * (1 - (step - 1) / steps)
        model.train()
        tokens = torch.randint(0, vocab, (params["batch_size"], length), device=device)
        logits = model(tokens)
        loss = F.cross_entropy(logits.reshape(-1, vocab), task(tokens).reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 10 == 0 or step == steps:
            labkit.metric("loss", step, loss.item())
        labkit.progress(step, steps)
    sequence_accuracy, token_accuracy = evaluate(model, test)
    print(f"test: sequence accuracy {sequence_accuracy:.4f}, token accuracy "
          f"{token_accuracy:.4f}, last loss {loss.item():.4f}")
    labkit.result(sequence_accuracy=sequence_accuracy, token_accuracy=token_accuracy,
                  parameters=count(model))


if __name__ == "__main__":
    main()
