"""An RNN language model trained with truncated BPTT on a generated corpus (DLFS2 chapter 5).

The book's setup at a smaller scale: SimpleRnnlm (embedding -> RNN -> affine -> softmax),
plain SGD, mini-batches of `batch_size` streams read from evenly spaced offsets of the corpus,
`time_size` steps each. The RNN keeps its hidden state from one block to the next (stateful),
but the gradient only flows back within a block. Perplexity (e to the mean cross-entropy) is
measured on the training stream every epoch and on held-out sentences at the end, against the
perplexity of a unigram model (word frequencies only) on the same held-out text.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: a 2nd thread only waits

import math  # noqa: E402

import numpy as np  # noqa: E402
from optim import SGD  # noqa: E402
from rnnlm import SimpleRnnlm  # noqa: E402
from toy_corpus import corpus  # noqa: E402

from studyterm import labkit  # noqa: E402


def stream_batch(ids, offsets, time_idx, time_size):
    """Inputs and next-word targets (N, T): stream i reads from offsets[i] + time_idx on."""
    positions = (np.asarray(offsets)[:, None] + time_idx + np.arange(time_size)) % (len(ids) - 1)
    return ids[positions], ids[positions + 1]


def perplexity(model, ids, batch_size, time_size):
    """exp(mean cross-entropy) over every next word of `ids`, read as the book's
    eval_perplexity does: batch_size streams, blocks of time_size, the state carried over."""
    model.reset_state()
    jump = (len(ids) - 1) // batch_size
    offsets = [i * jump for i in range(batch_size)]
    blocks = jump // time_size
    total = sum(model.forward(*stream_batch(ids, offsets, k * time_size, time_size))
                for k in range(blocks))
    model.reset_state()
    return math.exp(total / blocks)


def unigram_perplexity(train_ids, test_ids, vocab_size):
    """The baseline: each word predicted by its training frequency (add-one smoothed)."""
    counts = np.bincount(train_ids, minlength=vocab_size) + 1.0
    log_p = np.log(counts / counts.sum())
    return math.exp(-log_p[test_ids[1:]].mean())


def main():
    params = labkit.params()
    rng = np.random.default_rng(params["seed"])
    train_ids, words = corpus(rng, params["corpus_size"])
    val_ids, _ = corpus(rng, params["corpus_size"] // 2)
    train_ids, val_ids = np.array(train_ids), np.array(val_ids)
    batch_size, time_size, epochs = params["batch_size"], params["time_size"], params["epochs"]
    model = SimpleRnnlm(len(words), params["wordvec_size"], params["hidden_size"], rng)
    optimizer = SGD(params["lr"])
    jump = (len(train_ids) - 1) // batch_size
    offsets = [i * jump for i in range(batch_size)]
    iters = (len(train_ids) - 1) // (batch_size * time_size)  # as the book: floor, no partial block
    print(f"{len(train_ids)} training words, vocabulary {len(words)}: {iters} updates per epoch")
    time_idx, train_ppl = 0, float("nan")
    for epoch in range(1, epochs + 1):
        total = 0.0
        for _ in range(iters):
            xs, ts = stream_batch(train_ids, offsets, time_idx, time_size)
            time_idx += time_size
            total += model.forward(xs, ts)
            model.backward()
            optimizer.update(model.params, model.grads)
        train_ppl = math.exp(total / iters)
        labkit.metric("perplexity", epoch, train_ppl)
        labkit.progress(epoch, epochs)
        if epoch % max(1, epochs // 10) == 0:
            print(f"epoch {epoch:3d}  train perplexity {train_ppl:.2f}")
    val_ppl = perplexity(model, val_ids, batch_size, time_size)
    unigram = unigram_perplexity(train_ids, val_ids, len(words))
    print(f"held-out perplexity {val_ppl:.2f}; a unigram model: {unigram:.2f}")
    labkit.result(train_perplexity=train_ppl, val_perplexity=val_ppl, unigram_perplexity=unigram,
                  val_vs_unigram=val_ppl / unigram)


if __name__ == "__main__":
    main()
