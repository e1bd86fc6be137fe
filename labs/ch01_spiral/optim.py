"""Plain stochastic gradient descent: w <- w - lr * dL/dw."""


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for i in range(len(params)):
            # >>> hole sgd_update
            params[i] -= self.lr * grads[i]
            # <<< hole sgd_update
