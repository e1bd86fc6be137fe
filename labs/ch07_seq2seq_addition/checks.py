"""The checks of each hole of ch07_seq2seq_addition (never copied to the learner).

Each hole runs on a learner's encoder or decoder whose other code (embedding, LSTM, affine,
forward passes) is the lab's own and takes its weights from a reference model built from the
same seed; gradients are compared, in float64, with numerical gradients of the reference's
forward pass. Through a few unrolled LSTM steps a numerical gradient's own error reaches
about 3e-7 on the smallest entries, so these checks allow 1e-6 (CS231n: the deeper the
network, the larger the relative error of a correct gradient); a wrong gradient is off by
far more than that.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: a 2nd thread only waits

import numpy as np  # noqa: E402

from studyterm import labkit  # noqa: E402

V, D, H, N, T = 6, 3, 4, 2, 3
TOLERANCE = 1e-6
SCALE = 0.3
"""Weights larger than the initial ones, so every path carries gradient, yet no gate saturates."""


def _rng():
    return np.random.default_rng(20261202)


def _copy_weights(source, target):
    for mine, theirs in zip(target.params, source.params, strict=True):
        mine[...] = theirs


@labkit.check("encoder_backward", "the encoder's weight gradients match numerical gradients (float64)")
def encoder_gradients(learner, reference):
    rng = _rng()
    ref = reference.seq2seq.Encoder(V, D, H, rng, dtype=np.float64)
    for param in ref.params:
        param[...] = rng.standard_normal(param.shape) * SCALE
    xs, dh = rng.integers(0, V, (N, T)), rng.standard_normal((N, H))
    encoder = learner.seq2seq.Encoder(V, D, H, np.random.default_rng(0), dtype=np.float64)
    _copy_weights(ref, encoder)
    encoder.forward(xs)
    encoder.backward(dh)
    names = ["dW_embed", "dWx", "dWh", "db"]
    for name, param, grad in zip(names, ref.params, encoder.grads, strict=True):
        wanted = labkit.numerical_gradient(lambda _: ref.forward(xs), param, dout=dh)
        labkit.expect_close(name, grad, wanted, rel_error=TOLERANCE)


def _peeky_case(learner, reference):
    rng = _rng()
    ref = reference.seq2seq.PeekyDecoder(V, D, H, rng, dtype=np.float64)
    for param in ref.params:
        param[...] = rng.standard_normal(param.shape) * SCALE
    xs, h = rng.integers(0, V, (N, T)), rng.standard_normal((N, H))
    dscore = rng.standard_normal((N, T, V))
    decoder = learner.seq2seq.PeekyDecoder(V, D, H, np.random.default_rng(0), dtype=np.float64)
    _copy_weights(ref, decoder)
    decoder.forward(xs, h.copy())
    dh = decoder.backward(dscore)

    def numeric(target):
        return labkit.numerical_gradient(lambda _: ref.forward(xs, h), target, dout=dscore)

    return decoder, dh, numeric, ref, h


@labkit.check("peeky_backward", "dh, the gradient reaching the encoder's state, matches a numerical gradient")
def peeky_dh(learner, reference):
    _decoder, dh, numeric, _ref, h = _peeky_case(learner, reference)
    labkit.expect_shape("dh", dh, h.shape)
    labkit.expect_close("dh", dh, numeric(h), rel_error=TOLERANCE)


@labkit.check("peeky_backward", "the embedding's and the LSTM's weight gradients match numerical gradients")
def peeky_weights(learner, reference):
    decoder, _dh, numeric, ref, _h = _peeky_case(learner, reference)
    names = ["dW_embed", "dWx", "dWh", "db"]
    for name, param, grad in zip(names, ref.params[:4], decoder.grads[:4], strict=True):
        labkit.expect_close(name, grad, numeric(param), rel_error=TOLERANCE)


@labkit.check("generate", "greedy answers match the reference's, each step fed the previous choice")
def generate_ids(learner, reference):
    for peeky in (False, True):
        rng = _rng()
        kind = "PeekyDecoder" if peeky else "Decoder"
        ref = getattr(reference.seq2seq, kind)(V, D, H, rng, dtype=np.float64)
        for param in ref.params:
            param[...] = rng.standard_normal(param.shape)
        h = rng.standard_normal((5, H))
        decoder = getattr(learner.seq2seq, kind)(V, D, H, np.random.default_rng(0),
                                                 dtype=np.float64)
        _copy_weights(ref, decoder)
        got = decoder.generate(h.copy(), 1, 6)
        labkit.expect_shape(f"{kind}.generate(...) for 5 rows and 6 steps", np.asarray(got), (5, 6))
        wanted = ref.generate(h.copy(), 1, 6)
        labkit.expect_true(np.array_equal(got, wanted),
                           f"{kind}.generate: got {np.asarray(got).tolist()}, want "
                           f"{wanted.tolist()} (argmax of each step, fed back as the next input)")
