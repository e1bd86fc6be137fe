"""Attention seq2seq normalises dates (DLFS2 chapter 8), at a scale that trains in seconds.

"sep 27, 1994", "9/27/94" or "27.09.1994" in, "1994-09-27" out, character by character. The
question is fed reversed, as in the book. Adam, gradients clipped to a norm of 5. Accuracy
counts answers right in every character, on dates never trained on. At the end, the attention
weights of one test question are drawn as text: a row per answer character, a column per
question character, darker where the decoder looked.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: a 2nd thread only waits

import numpy as np  # noqa: E402
from attention_seq2seq import AttentionSeq2seq  # noqa: E402
from dates import CHAR_TO_ID, CHARS, decode, load  # noqa: E402
from optim import Adam, clip_grads  # noqa: E402

from studyterm import labkit  # noqa: E402

SHADES = " .:-=+*#%@"
"""Attention weight 0 .. 1 as ten shades, light to dark."""


def draw_attention(question, answer, weights):
    """The attention map as text: weights (len(answer), len(question)), rows summing to 1."""
    lines = ["      " + " ".join(question), "      " + "-" * (2 * len(question) - 1)]
    for char, row in zip(answer, weights, strict=True):
        shades = [SHADES[min(len(SHADES) - 1, int(w * len(SHADES)))] for w in row]
        lines.append(f"  {char}  |" + " ".join(shades))
    return "\n".join(lines)


def first_with_month_name(questions, start):
    """The index of the first question from `start` on written with a month's name (its map
    is the telling one), or `start` itself when there is none."""
    start %= len(questions)
    for k in range(start, len(questions)):
        if any(char.isalpha() for char in questions[k]):
            return k
    return start


def main():
    params = labkit.params()
    rng = np.random.default_rng(params["seed"])
    (x_train, t_train), (x_test, t_test) = load(rng, params["train_size"], params["test_size"])
    if params["reverse"]:
        x_train, x_test = x_train[:, ::-1], x_test[:, ::-1]
    model = AttentionSeq2seq(len(CHARS), params["wordvec_size"], params["hidden_size"], rng)
    optimizer = Adam(params["lr"])
    batch_size, epochs = params["batch_size"], params["epochs"]
    iters = len(x_train) // batch_size
    print(f"{len(x_train)} dates, {iters} updates per epoch")
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
        guess, _ = model.generate(x_test, CHAR_TO_ID["_"], t_test.shape[1] - 1)
        acc = float(np.mean(np.all(guess == t_test[:, 1:], axis=1)))
        labkit.metric("val_accuracy", epoch, acc)
        print(f"epoch {epoch}  loss {np.mean(losses):.3f}  accuracy {acc:.3f}")
    guess, weights = model.generate(x_test, CHAR_TO_ID["_"], t_test.shape[1] - 1)
    right = np.all(guess == t_test[:, 1:], axis=1)
    for k in range(5):
        question = decode(x_test[k][::-1] if params["reverse"] else x_test[k])
        print(f"{question.rstrip():20s} -> {decode(guess[k])}  {'ok' if right[k] else 'bad'}")
    questions = [decode(x[::-1] if params["reverse"] else x) for x in x_test]
    example = first_with_month_name(questions, params["example"])
    weights = weights[example][:, ::-1] if params["reverse"] else weights[example]
    question = questions[example]
    print("\nwhere the decoder looked (darker: more weight), for the answer "
          f"{decode(guess[example])}:\n" + draw_attention(question, decode(guess[example]), weights))
    labkit.result(accuracy=float(np.mean(right)), final_loss=float(np.mean(losses)))


if __name__ == "__main__":
    main()
