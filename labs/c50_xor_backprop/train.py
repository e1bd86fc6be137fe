"""XOR, learned by a two-layer perceptron whose backward pass you wrote in NumPy.

First your gradients are compared with torch autograd's on the same weights (float64), at the
start and again after training; then plain full-batch gradient descent trains the network on
the four XOR points with your backward pass.
"""

import numpy as np
from mlp import MLP

from studyterm import labkit

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
T = np.array([[0], [1], [1], [0]], dtype=float)
NAMES = ["W1", "b1", "W2", "b2"]


def autograd_rel_error(torch, model, device):
    """The largest relative error between the model's gradients and autograd's, float64."""
    model.loss(X, T)
    mine = {name: grad.copy() for name, grad in model.backward().items()}
    tensors = {name: torch.tensor(model.params[name], dtype=torch.float64, device=device,
                                  requires_grad=True) for name in NAMES}
    x = torch.tensor(X, dtype=torch.float64, device=device)
    t = torch.tensor(T, dtype=torch.float64, device=device)
    logits = torch.tanh(x @ tensors["W1"] + tensors["b1"]) @ tensors["W2"] + tensors["b2"]
    torch.nn.functional.binary_cross_entropy_with_logits(logits, t).backward()
    return max(labkit.rel_error(mine[name], tensors[name].grad.cpu().numpy()) for name in NAMES)


def main():
    torch = labkit.require("torch")
    params = labkit.params()
    device = params["device"]
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    rng = np.random.default_rng(params["seed"])
    model = MLP(rng, hidden=params["hidden"], scale=params["init_scale"])
    start_error = autograd_rel_error(torch, model, device)
    print(f"your gradients against autograd ({device}, float64): relative error {start_error:.1e}")

    epochs, lr = params["epochs"], params["lr"]
    for epoch in range(1, epochs + 1):
        loss = model.loss(X, T)
        grads = model.backward()
        for name in NAMES:
            model.params[name] -= lr * grads[name]
        if epoch % 10 == 0 or epoch == epochs:
            labkit.metric("loss", epoch, loss)
            labkit.progress(epoch, epochs)
        if epoch % max(1, epochs // 5) == 0:
            print(f"epoch {epoch:5d}  loss {loss:.4f}")
    final_loss = model.loss(X, T)
    accuracy = float(np.mean(model.predict(X) == T))
    end_error = autograd_rel_error(torch, model, device)
    print(f"final loss {final_loss:.4f}, XOR accuracy {accuracy:.2f}, "
          f"gradient error after training {end_error:.1e}")
    labkit.result(final_loss=final_loss, accuracy=accuracy,
                  grad_rel_error=max(start_error, end_error))


if __name__ == "__main__":
    main()
