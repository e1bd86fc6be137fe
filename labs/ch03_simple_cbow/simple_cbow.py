"""SimpleCBOW (DLFS2 3.4): predict the word between two context words.

    h = (c0 W_in + c1 W_in) / 2,   score = h W_out,   loss = cross-entropy(softmax(score), target)

c0 and c1 are one-hot rows. Both input layers hold the *same* array W_in, so `params` lists it
twice; the trainer adds the two gradients before the update, as the book's Trainer does
(`remove_duplicate` in common/trainer.py).
"""

from layers import MatMul, SoftmaxWithLoss


class SimpleCBOW:
    def __init__(self, vocab_size, hidden_size, rng):
        W_in = 0.01 * rng.standard_normal((vocab_size, hidden_size))
        W_out = 0.01 * rng.standard_normal((hidden_size, vocab_size))
        self.in_layer0 = MatMul(W_in)
        self.in_layer1 = MatMul(W_in)
        self.out_layer = MatMul(W_out)
        self.loss_layer = SoftmaxWithLoss()
        self.params, self.grads = [], []
        for layer in (self.in_layer0, self.in_layer1, self.out_layer):
            self.params += layer.params
            self.grads += layer.grads
        self.word_vecs = W_in  # the distributed representation of each word: a row of W_in

    def predict(self, contexts):
        """Scores (N, V) for contexts (N, 2, V) of one-hot rows."""
        h0 = self.in_layer0.forward(contexts[:, 0])
        h1 = self.in_layer1.forward(contexts[:, 1])
        h = (h0 + h1) * 0.5
        return self.out_layer.forward(h)

    def forward(self, contexts, target):
        return self.loss_layer.forward(self.predict(contexts), target)

    def backward(self, dout=1):
        # >>> hole cbow_backward
        ds = self.loss_layer.backward(dout)
        da = self.out_layer.backward(ds)
        da = da * 0.5
        self.in_layer1.backward(da)
        self.in_layer0.backward(da)
        # <<< hole cbow_backward
        return None


def remove_duplicate(params, grads):
    """One entry per distinct array: gradients of an array that appears more than once in
    `params` (a shared weight) are added up."""
    unique_params, unique_grads = [], []
    for param, grad in zip(params, grads, strict=True):
        for i, seen in enumerate(unique_params):
            if seen is param:
                unique_grads[i] = unique_grads[i] + grad
                break
        else:
            unique_params.append(param)
            unique_grads.append(grad)
    return unique_params, unique_grads
