"""The checks of c50_optimizers: each update rule against its torch.optim twin, step by step,
in float64, with gradients of very different sizes (so the adaptive rules really adapt)."""

import numpy as np

from studyterm import labkit

STEPS = 5
TOLERANCE = 1e-10


def _gradients(rng, shapes):
    scale = [np.exp(rng.uniform(-3, 2, shape)) for shape in shapes]
    return [[s * rng.standard_normal(s.shape) for s in scale] for _ in range(STEPS)]


def _against_torch(learner, name, make_torch, **kwargs):
    torch = labkit.require("torch")
    rng = np.random.default_rng(11)
    shapes = [(3, 4), (4,)]
    params = [rng.standard_normal(shape) for shape in shapes]
    held = list(params)  # the arrays a network would hold
    tensors = [torch.tensor(p.copy(), dtype=torch.float64) for p in params]
    theirs = make_torch(torch.optim, tensors)
    mine = getattr(learner.optimizers, name)(**kwargs)
    for step, grads in enumerate(_gradients(rng, shapes), start=1):
        for tensor, grad in zip(tensors, grads, strict=True):
            tensor.grad = torch.tensor(grad)
        theirs.step()
        mine.update(params, [g.copy() for g in grads])
        for i, tensor in enumerate(tensors):
            labkit.expect_true(params[i] is held[i],
                               f"step {step}: params[{i}] was replaced by a new array; change it in "
                               "place (p -= ...), the network holds the old one")
            labkit.expect_close(f"step {step}: params[{i}] (torch.optim.{type(theirs).__name__})",
                                params[i], tensor.numpy(), rel_error=TOLERANCE)


@labkit.check("sgd", "matches torch.optim.SGD for 5 steps, in place")
def sgd_steps(learner, reference):
    _against_torch(learner, "SGD", lambda optim, ps: optim.SGD(ps, lr=0.1), lr=0.1)


@labkit.check("momentum", "matches torch.optim.SGD(momentum=0.9) for 5 steps")
def momentum_steps(learner, reference):
    _against_torch(learner, "Momentum", lambda optim, ps: optim.SGD(ps, lr=0.05, momentum=0.9),
                   lr=0.05, momentum=0.9)


@labkit.check("adagrad", "matches torch.optim.Adagrad for 5 steps")
def adagrad_steps(learner, reference):
    _against_torch(learner, "AdaGrad", lambda optim, ps: optim.Adagrad(ps, lr=0.1), lr=0.1)


@labkit.check("rmsprop", "matches torch.optim.RMSprop for 5 steps")
def rmsprop_steps(learner, reference):
    _against_torch(learner, "RMSprop", lambda optim, ps: optim.RMSprop(ps, lr=0.01), lr=0.01)


@labkit.check("adam", "matches torch.optim.Adam for 5 steps")
def adam_steps(learner, reference):
    _against_torch(learner, "Adam", lambda optim, ps: optim.Adam(ps, lr=0.01), lr=0.01)
