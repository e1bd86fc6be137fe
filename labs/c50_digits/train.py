"""The MNIST milestone, offline: an MLP and a small CNN on scikit-learn's 8x8 digits.

Both train with your training loop (loop.py) and Adam; the CNN is built from your conv block
(models.py). Test accuracy on a fixed quarter of the images is the milestone.
"""

import digits
import torch
from loop import evaluate, train_epoch
from models import CNN, MLP
from optim import Adam

from studyterm import labkit


def batches(x, y, batch_size, generator):
    order = torch.randperm(len(x), generator=generator).to(x.device)
    return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
            for i in range(0, len(x), batch_size)]


def pick_device(choice):
    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return choice


def main():
    labkit.require("torch")
    params = labkit.params()
    torch.set_num_threads(params["threads"])
    device = pick_device(params["device"])
    x_train, y_train, x_test, y_test = (
        torch.from_numpy(a).to(device) for a in digits.split(*digits.load()))
    x_train, x_test = x_train.view(-1, 1, 8, 8), x_test.view(-1, 1, 8, 8)
    print(f"{len(x_train)} training and {len(x_test)} test images on {device}")
    total = params["mlp_epochs"] + params["cnn_epochs"]
    done, results = 0, {}
    for name in ("mlp", "cnn"):
        torch.manual_seed(params["seed"])  # each model's start depends on the seed alone
        generator = torch.Generator().manual_seed(params["seed"])
        model = (MLP(params["hidden"]) if name == "mlp" else CNN()).to(device)
        epochs = params[f"{name}_epochs"]
        optimizer = Adam(model.parameters(), lr=params[f"{name}_lr"])
        for epoch in range(1, epochs + 1):
            loss = train_epoch(model, optimizer, batches(x_train, y_train, params["batch_size"],
                                                         generator))
            labkit.metric(f"{name}_loss", epoch, loss)
            done += 1
            labkit.progress(done, total)
        accuracy = evaluate(model, x_test, y_test)
        size = sum(p.numel() for p in model.parameters())
        print(f"{name}: {size} parameters, test accuracy {accuracy:.4f}, last loss {loss:.4f}")
        results[f"{name}_accuracy"] = accuracy
        results[f"{name}_parameters"] = size
    labkit.result(results)


if __name__ == "__main__":
    main()
