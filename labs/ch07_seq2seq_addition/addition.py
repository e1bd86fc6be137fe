"""The addition data set of DLFS2 chapter 7, generated: "16+75" -> "91", as fixed-width text.

Questions are padded with spaces to 2 * digits + 1 characters ("16+75  " for 3 digits), answers
start with "_" (the decoder's start symbol) and are padded to digits + 2 characters ("_91  "),
as in the book's addition.txt. Pairs of operands are drawn uniformly from 0 .. 10^digits - 1,
without repeats, so no test question is also a training question.
"""

import numpy as np

CHARS = "0123456789+ _"
CHAR_TO_ID = {char: i for i, char in enumerate(CHARS)}


def encode(texts):
    return np.array([[CHAR_TO_ID[char] for char in text] for text in texts])


def decode(ids):
    return "".join(CHARS[int(i)] for i in ids)


def load(rng, train_size, test_size, digits):
    """(x_train, t_train), (x_test, t_test) as character ids."""
    top = 10**digits
    pairs = rng.choice(top * top, train_size + test_size, replace=False)
    a, b = pairs // top, pairs % top
    questions = [f"{x}+{y}".ljust(2 * digits + 1) for x, y in zip(a, b, strict=True)]
    answers = [f"_{x + y}".ljust(digits + 2) for x, y in zip(a, b, strict=True)]
    x, t = encode(questions), encode(answers)
    return (x[:train_size], t[:train_size]), (x[train_size:], t[train_size:])
