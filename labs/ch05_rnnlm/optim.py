"""Plain stochastic gradient descent: w <- w - lr * dL/dw, in place."""


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param -= self.lr * grad
