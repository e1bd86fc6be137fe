"""The layers of DLFS2 chapter 1, each with `params`, `grads`, `forward` and `backward`.

Every layer keeps what its backward pass needs from the forward pass (Sigmoid its output,
Affine its input, SoftmaxWithLoss its probabilities and labels). `backward(dout)` takes the
gradient of the loss with respect to the layer's output and returns the gradient with respect
to its input, writing the gradients of its parameters into `self.grads` in place.
"""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        # >>> hole sigmoid_forward
        out = 1 / (1 + np.exp(-x))
        # <<< hole sigmoid_forward
        self.out = out
        return out

    def backward(self, dout):
        # >>> hole sigmoid_backward
        dx = dout * (1.0 - self.out) * self.out
        # <<< hole sigmoid_backward
        return dx


class Affine:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        W, b = self.params
        self.x = x
        return x @ W + b

    def backward(self, dout):
        W, b = self.params
        # >>> hole affine_backward
        dx = dout @ W.T
        dW = self.x.T @ dout
        db = np.sum(dout, axis=0)
        # <<< hole affine_backward
        self.grads[0][...] = dW  # [...] writes into the array the optimizer also holds
        self.grads[1][...] = db
        return dx


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)  # the same probabilities, no overflow
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


class SoftmaxWithLoss:
    """Softmax, then the mean cross-entropy over the batch; `t` holds class indices."""

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        batch_size = len(t)
        return -np.mean(np.log(self.y[np.arange(batch_size), t] + 1e-7))

    def backward(self, dout=1):
        # >>> hole softmax_with_loss_backward
        batch_size = len(self.t)
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        dx *= dout
        dx = dx / batch_size
        # <<< hole softmax_with_loss_backward
        return dx
