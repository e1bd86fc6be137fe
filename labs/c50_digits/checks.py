"""The checks of each hole of c50_digits (never copied to the learner).

Each hole is checked on its own: the training loop and the evaluation run on a tiny model built
here (with a layer that records the mode it was called in), never on the learner's CNN, and the
conv block is compared with the reference's block carrying the same weights. A wrong training
loop is diagnosed by replaying the classic mistakes (no zero_grad, softmax before the loss) and
seeing which one the learner's parameters match.
"""

import copy

from studyterm import labkit


def _torch():
    return labkit.require("torch")


def _spy_model(torch, seed=0):
    """A tiny classifier whose first layer records (training?, grad enabled?) at every call."""
    nn = torch.nn

    class Spy(nn.Module):
        def __init__(self):
            super().__init__()
            self.calls = []

        def forward(self, x):
            self.calls.append((self.training, torch.is_grad_enabled()))
            return x

    torch.manual_seed(seed)
    return nn.Sequential(Spy(), nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 4)).double()


def _batches(torch, seed=1):
    generator = torch.Generator().manual_seed(seed)
    return [(torch.randn(5, 6, generator=generator, dtype=torch.float64),
             torch.randint(0, 4, (5,), generator=generator)) for _ in range(3)]


def _replay(torch, model, batches, mistake=None):
    """The reference's epoch (with SGD, lr 0.5), or one of the classic mistakes."""
    F = torch.nn.functional
    optimizer = _SGD(model.parameters())
    model.train()
    for x, y in batches:
        if mistake != "no_zero_grad":
            optimizer.zero_grad()
        logits = model(x)
        if mistake == "softmax":
            logits = F.softmax(logits, dim=1)
        F.cross_entropy(logits, y).backward()
        optimizer.step()
    return model


class _SGD:
    """Plain SGD with the optimizer interface the hole uses (zero_grad, step)."""

    def __init__(self, params, lr=0.5):
        self.params, self.lr = list(params), lr

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self):
        import torch

        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p.sub_(self.lr * p.grad)


def _flat(torch, model):
    return torch.cat([p.detach().flatten() for p in model.parameters()]).numpy()


@labkit.check("train_epoch", "the model is in training mode while it trains")
def train_mode(learner, reference):
    torch = _torch()
    model = _spy_model(torch)
    model.eval()  # left in evaluation mode by an earlier evaluation
    learner.loop.train_epoch(model, _SGD(model.parameters()), _batches(torch))
    calls = model[0].calls
    labkit.expect_true(len(calls) == 3, f"the model was called {len(calls)} times for 3 batches")
    labkit.expect_true(all(training for training, _ in calls),
                       "the model was in eval mode during training: call model.train() first "
                       "(dropout and batch norm behave differently in each mode)")


@labkit.check("train_epoch", "one epoch changes the weights exactly as zero_grad, "
                             "cross_entropy(logits), backward, step do")
def train_updates(learner, reference):
    torch = _torch()
    model = _spy_model(torch)
    batches = _batches(torch)
    learner.loop.train_epoch(model, _SGD(model.parameters()), batches)
    got = _flat(torch, model)
    want = _flat(torch, _replay(torch, _spy_model(torch), batches))
    if labkit.rel_error(got, want) <= 1e-9:
        return
    for mistake, message in (
        ("no_zero_grad", "the gradients piled up across batches: call optimizer.zero_grad() "
                         "before each backward()"),
        ("softmax", "the loss was given probabilities: F.cross_entropy takes the raw logits "
                    "(it applies log-softmax itself)"),
    ):
        wrong = _flat(torch, _replay(torch, _spy_model(torch), batches, mistake))
        if labkit.rel_error(got, wrong) <= 1e-9:
            raise labkit.CheckFailed(message)
    labkit.expect_close("the weights after one epoch", got, want, rel_error=1e-9)


@labkit.check("train_epoch", "returns the mean loss per sample over the epoch")
def train_returns_mean_loss(learner, reference):
    torch = _torch()
    F = torch.nn.functional
    batches = _batches(torch)
    batches = batches[:2] + [(batches[2][0][:2], batches[2][1][:2])]  # a smaller last batch
    model = _spy_model(torch)
    got = learner.loop.train_epoch(model, _SGD(model.parameters()), batches)
    labkit.expect_true(isinstance(got, float), f"returned {type(got).__name__}, want a float "
                                               "(loss.item() gives one)")
    replay, total = _spy_model(torch), 0.0
    optimizer = _SGD(replay.parameters())
    for x, y in batches:
        optimizer.zero_grad()
        loss = F.cross_entropy(replay(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    labkit.expect_close("the mean loss", got, total / 12, rel_error=1e-9)


@labkit.check("evaluate", "the model is in eval mode and builds no autograd graph")
def evaluate_modes(learner, reference):
    torch = _torch()
    model = _spy_model(torch)
    model.train()
    x, y = _batches(torch)[0]
    learner.loop.evaluate(model, x, y)
    calls = model[0].calls
    labkit.expect_true(bool(calls), "the model was never called")
    labkit.expect_true(not any(training for training, _ in calls),
                       "the model was in training mode: call model.eval() first (dropout would "
                       "still drop units)")
    labkit.expect_true(not any(grad for _, grad in calls),
                       "autograd recorded the forward pass: wrap it in `with torch.no_grad():`")


@labkit.check("evaluate", "returns the accuracy as a float")
def evaluate_accuracy(learner, reference):
    torch = _torch()
    model = _spy_model(torch)
    generator = torch.Generator().manual_seed(3)
    x = torch.randn(40, 6, generator=generator, dtype=torch.float64)
    with torch.no_grad():
        predicted = model(x).argmax(dim=1)
    y = predicted.clone()
    y[:10] = (y[:10] + 1) % 4  # exactly 30 of 40 right
    got = learner.loop.evaluate(model, x, y)
    labkit.expect_true(isinstance(got, float), f"returned {type(got).__name__}, want a float "
                                               "(.item() gives one)")
    labkit.expect_close("the accuracy", got, 0.75, rel_error=1e-9)


@labkit.check("conv_block", "(N, C, 8, 8) -> (N, C', 4, 4), and the output of a conv, ReLU "
                            "and 2x2 max pool")
def conv_block_output(learner, reference):
    torch = _torch()
    torch.manual_seed(0)
    block = learner.models.conv_block(3, 5)
    x = torch.randn(2, 3, 8, 8)
    with torch.no_grad():
        out = block(x)
    labkit.expect_true(tuple(out.shape) == (2, 5, 4, 4),
                       f"an input (2, 3, 8, 8) came out as {tuple(out.shape)}, want (2, 5, 4, 4)")
    want_block = reference.models.conv_block(3, 5)
    try:
        want_block.load_state_dict(copy.deepcopy(block.state_dict()))
    except RuntimeError:
        raise labkit.CheckFailed("the block's weights are not those of one Conv2d(3, 5, "
                                 "kernel_size=3) followed by ReLU and MaxPool2d") from None
    with torch.no_grad():
        want = want_block(x)
    labkit.expect_close("the block's output", out.numpy(), want.numpy(), rel_error=1e-5)
