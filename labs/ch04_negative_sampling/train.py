"""CBOW with negative sampling against CBOW with a full softmax (DLFS2 chapter 4).

Both models train on the same generated corpus with the same Adam, batch size and epochs; the
lab times each epoch, logs each model's loss per step and measures how often a noun's nearest
neighbour (cosine of the rows of W_in) is a noun of its own class. The two losses are different
quantities (the softmax's cross-entropy over V words; negative sampling's sum of 1 + k binary
cross-entropies), so compare their curves' shapes and the neighbours, not their values.
"""

import time

import numpy as np
from blas import one_blas_thread
from cbow import NegativeSamplingCBOW, SoftmaxCBOW
from corpus import create_contexts_target, preprocess, sentences, vocabulary
from optim import Adam

from studyterm import labkit

EVAL_PER_CLASS = 10


def nn_agreement(word_vecs, word_to_id, nouns):
    """Share of the 10 most frequent nouns of each class whose nearest other word (cosine, over
    the whole vocabulary) is a noun of the same class."""
    class_of = {word: name for name, words in nouns.items() for word in words[:EVAL_PER_CLASS]
                if word in word_to_id}
    every_noun = {word: name for name, words in nouns.items() for word in words}
    ids = np.array([word_to_id[word] for word in class_of])
    unit = word_vecs / (np.linalg.norm(word_vecs, axis=1, keepdims=True) + 1e-8)
    similarity = unit[ids] @ unit.T
    similarity[np.arange(len(ids)), ids] = -np.inf
    nearest = similarity.argmax(axis=1)
    id_class = {word_to_id[word]: name for word, name in every_noun.items() if word in word_to_id}
    return float(np.mean([id_class.get(int(n)) == class_of[w] for n, w in zip(nearest, class_of, strict=True)]))


def train(name, model, contexts, target, params, rng, step_offset, total):
    """Train `model`; returns the seconds per epoch, all in and forward + backward alone, and
    the mean loss of the last epoch."""
    optimizer = Adam(lr=params["lr"])
    batch_size = params["batch_size"]
    per_epoch = len(target) // batch_size  # the book's Trainer: leftover pairs sit out
    seconds, passes, step = [], [], 0
    for epoch in range(params["epochs"]):
        order = rng.permutation(len(target))
        losses, pass_seconds = [], 0.0
        started = time.perf_counter()
        for i in range(per_epoch):
            batch = order[i * batch_size : (i + 1) * batch_size]
            tick = time.perf_counter()
            losses.append(model.forward(contexts[batch], target[batch]))
            model.backward()
            pass_seconds += time.perf_counter() - tick
            optimizer.update(model.params, model.grads)
            step += 1
            labkit.metric(f"loss_{name}", step, losses[-1])
            labkit.progress(step_offset + step, total)
        seconds.append(time.perf_counter() - started)
        passes.append(pass_seconds)
        print(f"{name:8s} epoch {epoch + 1}: loss {np.mean(losses):.3f}, {seconds[-1]:.2f} s "
              f"({pass_seconds:.2f} s forward and backward)")
    return float(np.mean(seconds)), float(np.mean(passes)), float(np.mean(losses))


def main():
    one_blas_thread()
    params = labkit.params()
    rng = np.random.default_rng(params["seed"])
    nouns, verbs = vocabulary(params["classes"], params["words_per_class"])
    corpus, word_to_id, _ = preprocess(" ".join(sentences(rng, params["sentences"], nouns, verbs)))
    contexts, target = create_contexts_target(corpus, params["window_size"])
    V, H = len(word_to_id), params["hidden_size"]
    per_epoch = len(target) // params["batch_size"]
    total = 2 * params["epochs"] * per_epoch
    print(f"{len(corpus)} tokens, vocabulary {V}, {len(target)} pairs: {per_epoch} updates "
          f"per epoch for each model")
    models = {
        "softmax": SoftmaxCBOW(V, H, np.random.default_rng(params["seed"] + 1)),
        "ns": NegativeSamplingCBOW(V, H, corpus, np.random.default_rng(params["seed"] + 1),
                                   sample_size=params["sample_size"]),
    }
    metrics = {}
    for offset, (name, model) in enumerate(models.items()):
        seconds, pass_seconds, loss = train(name, model, contexts, target, params, rng,
                                            offset * total // 2, total)
        metrics[f"epoch_seconds_{name}"] = seconds
        metrics[f"pass_seconds_{name}"] = pass_seconds
        metrics[f"final_loss_{name}"] = loss
        metrics[f"nn_agreement_{name}"] = nn_agreement(model.word_vecs, word_to_id, nouns)
    metrics["speedup"] = metrics["pass_seconds_softmax"] / metrics["pass_seconds_ns"]
    metrics["epoch_speedup"] = metrics["epoch_seconds_softmax"] / metrics["epoch_seconds_ns"]
    print(f"forward and backward of an epoch: {metrics['pass_seconds_softmax']:.2f} s with the "
          f"full softmax, {metrics['pass_seconds_ns']:.2f} s with negative sampling: "
          f"{metrics['speedup']:.1f}x faster ({metrics['epoch_speedup']:.1f}x for the whole "
          "epoch, whose Adam update of every row of W_in and W_out costs both the same)")
    print(f"nearest-neighbour class agreement: softmax {metrics['nn_agreement_softmax']:.3f}, "
          f"negative sampling {metrics['nn_agreement_ns']:.3f}")
    labkit.result(**metrics, vocab_size=V)


if __name__ == "__main__":
    main()
