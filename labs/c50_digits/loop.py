"""The training loop and the evaluation: the part of every PyTorch program you write yourself."""

import torch
import torch.nn.functional as F


def train_epoch(model, optimizer, batches):
    """One pass over `batches`, a list of (images, labels) pairs; returns the mean loss per
    sample. `optimizer` has zero_grad() and step(), as any torch.optim optimizer."""
    # >>> hole train_epoch
    model.train()
    total, count = 0.0, 0
    for x, y in batches:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
    # <<< hole train_epoch


def evaluate(model, x, y):
    """The fraction of the images x whose predicted class is their label y, as a float."""
    # >>> hole evaluate
    model.eval()
    with torch.no_grad():
        predicted = model(x).argmax(dim=1)
    return (predicted == y).float().mean().item()
    # <<< hole evaluate
