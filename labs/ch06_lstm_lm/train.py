"""An LSTM language model trained twice, with and without gradient clipping (DLFS2 chapter 6).

The book's Rnnlm (embedding -> LSTM -> affine -> softmax) with plain SGD at a large learning
rate, on a generated corpus, trained twice from the same initial weights on the same batches:
once with the gradients clipped to a global norm of `max_grad` before every update, once
without. Both runs report their training perplexity each epoch and the gradient norm before
clipping at every update. First, the NumPy LSTM is compared with torch.nn.LSTM in float64.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: a 2nd thread only waits

import math  # noqa: E402

import numpy as np  # noqa: E402
import torch_oracle  # noqa: E402
from optim import SGD, clip_grads  # noqa: E402
from rnnlm import Rnnlm  # noqa: E402
from toy_corpus import corpus  # noqa: E402

from studyterm import labkit  # noqa: E402


def stream_batch(ids, offsets, time_idx, time_size):
    """Inputs and next-word targets (N, T): stream i reads from offsets[i] + time_idx on."""
    positions = (np.asarray(offsets)[:, None] + time_idx + np.arange(time_size)) % (len(ids) - 1)
    return ids[positions], ids[positions + 1]


def perplexity(model, ids, batch_size, time_size):
    """exp(mean cross-entropy) over the next words of `ids`, the state carried over blocks."""
    model.reset_state()
    jump = (len(ids) - 1) // batch_size
    offsets = [i * jump for i in range(batch_size)]
    blocks = jump // time_size
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        total = sum(model.forward(*stream_batch(ids, offsets, k * time_size, time_size))
                    for k in range(blocks))
    model.reset_state()
    return math.exp(min(total / blocks, 700.0)) if math.isfinite(total) else math.inf


def train(params, train_ids, vocab_size, clip, suffix):
    """One training run from the seed's initial weights (the same for both runs); returns the
    model, its last epoch's training perplexity and the largest gradient norm it saw."""
    rng = np.random.default_rng(params["seed"] + 1)  # the same weights for both runs
    model = Rnnlm(vocab_size, params["wordvec_size"], params["hidden_size"], rng)
    optimizer = SGD(params["lr"])
    batch_size, time_size, epochs = params["batch_size"], params["time_size"], params["epochs"]
    jump = (len(train_ids) - 1) // batch_size
    offsets = [i * jump for i in range(batch_size)]
    iters = (len(train_ids) - 1) // (batch_size * time_size)
    time_idx, step, ppl, largest = 0, 0, math.nan, 0.0
    for epoch in range(1, epochs + 1):
        total = 0.0
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in range(iters):
                xs, ts = stream_batch(train_ids, offsets, time_idx, time_size)
                time_idx += time_size
                total += model.forward(xs, ts)
                model.backward()
                norm = clip_grads(model.grads, params["max_grad"] if clip else math.inf)
                optimizer.update(model.params, model.grads)
                step += 1
                largest = max(largest, norm) if math.isfinite(norm) else math.inf
                labkit.metric("grad_norm" + suffix, step, norm if math.isfinite(norm) else 1e30)
        ppl = math.exp(min(total / iters, 700.0)) if math.isfinite(total) else math.inf
        labkit.metric("perplexity" + suffix, epoch, min(ppl, 1e30))
        if epoch % max(1, epochs // 5) == 0:
            print(f"{'clipped' if clip else 'unclipped':9s} epoch {epoch:3d}  perplexity {ppl:.2f}")
    return model, ppl, largest


def main():
    params = labkit.params()
    torch = labkit.require("torch")
    device = params["device"]
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    errors = torch_oracle.compare(torch, np.random.default_rng(params["seed"]), device=device)
    print("NumPy LSTM vs torch.nn.LSTM (float64), relative error: "
          + ", ".join(f"{name} {value:.1e}" for name, value in errors.items()))
    rng = np.random.default_rng(params["seed"])
    train_ids, words = corpus(rng, params["corpus_size"])
    val_ids, _ = corpus(rng, params["corpus_size"] // 2)
    train_ids, val_ids = np.array(train_ids), np.array(val_ids)
    results = {}
    for clip, suffix in ((True, ""), (False, "_unclipped")):
        model, ppl, largest = train(params, train_ids, len(words), clip, suffix)
        val = perplexity(model, val_ids, params["batch_size"], params["time_size"])
        results |= {"train_perplexity" + suffix: ppl, "val_perplexity" + suffix: val,
                    "max_grad_norm" + suffix: largest}
        labkit.progress(2 if suffix else 1, 2)
    print(f"held-out perplexity: clipped {results['val_perplexity']:.2f}, "
          f"unclipped {results['val_perplexity_unclipped']:.2f}")
    labkit.result(torch_rel_error=max(errors.values()), **results)


if __name__ == "__main__":
    main()
