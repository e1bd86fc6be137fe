"""Seq2seq learns to add (DLFS2 chapter 7), at a scale that trains in seconds.

Questions such as "16+75" go in character by character; the answer "91" comes out of the
decoder. Three variants, chosen with `variant`: the base model, the same with the question
reversed ("57+61": the first digits the decoder writes sit close to the end the encoder read
last), and reversed with the peeky decoder. Adam, gradients clipped to a norm of 5, as the
book. Accuracy counts answers that are right in every character, on questions never trained on.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: a 2nd thread only waits

import numpy as np  # noqa: E402
from addition import CHAR_TO_ID, CHARS, decode, load  # noqa: E402
from optim import Adam, clip_grads  # noqa: E402
from seq2seq import Seq2seq  # noqa: E402

from studyterm import labkit  # noqa: E402


def accuracy(model, x, t):
    """Share of answers generated exactly right (greedy decoding from "_")."""
    guess = model.generate(x, CHAR_TO_ID["_"], t.shape[1] - 1)
    return float(np.mean(np.all(guess == t[:, 1:], axis=1))), guess


def main():
    params = labkit.params()
    rng = np.random.default_rng(params["seed"])
    (x_train, t_train), (x_test, t_test) = load(rng, params["train_size"], params["test_size"],
                                                params["digits"])
    reverse = params["variant"] in ("reversed", "peeky_reversed")
    if reverse:
        x_train, x_test = x_train[:, ::-1], x_test[:, ::-1]
    model = Seq2seq(len(CHARS), params["wordvec_size"], params["hidden_size"], rng,
                    peeky=params["variant"] == "peeky_reversed")
    optimizer = Adam(params["lr"])
    batch_size, epochs = params["batch_size"], params["epochs"]
    iters = len(x_train) // batch_size  # as the book's Trainer: whole batches only
    print(f"{params['variant']}: {len(x_train)} questions, {iters} updates per epoch")
    step, losses = 0, []
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(x_train))
        losses = []
        for k in range(iters):
            batch = order[k * batch_size : (k + 1) * batch_size]
            loss = model.forward(x_train[batch], t_train[batch])
            model.backward()
            clip_grads(model.grads, params["max_grad"])
            optimizer.update(model.params, model.grads)
            step += 1
            losses.append(loss)
            labkit.metric("loss", step, loss)
            labkit.progress(step, epochs * iters)
        acc, _ = accuracy(model, x_test, t_test)
        labkit.metric("val_accuracy", epoch, acc)
        print(f"epoch {epoch}  loss {np.mean(losses):.3f}  accuracy {acc:.3f}")
    acc, guess = accuracy(model, x_test, t_test)
    for question, answer, guessed in list(zip(x_test, t_test, guess, strict=True))[:5]:
        shown = decode(question[::-1] if reverse else question)
        mark = "ok " if np.array_equal(guessed, answer[1:]) else "bad"
        print(f"{shown}= {decode(answer[1:])}  {mark} {decode(guessed)}")
    labkit.result(accuracy=acc, final_loss=float(np.mean(losses)))


if __name__ == "__main__":
    main()
