"""A date-normalisation data set, generated: many English ways of writing a date -> ISO 8601.

"September 27, 1994", "sep 27, 1994", "9/27/94", "27 September 1994" and "27.09.1994" all
become "1994-09-27", as in the book's date.txt (which also has weekday names: left out here to
keep the questions short). Two-digit years below 50 are read as 20xx, the rest as 19xx. Questions
are padded with spaces to a fixed width; answers start with "_" (the decoder's start symbol).
"""

import datetime

import numpy as np

FIRST = datetime.date(1950, 1, 1)
DAYS = (datetime.date(2049, 12, 31) - FIRST).days + 1
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WIDTH = len("September 30, 1994")
CHARS = ("_ ,./-0123456789" + "abcdefghijklmnopqrstuvwxyz" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
CHAR_TO_ID = {char: i for i, char in enumerate(CHARS)}


def _cased(rng, text):
    return [text.lower(), text, text.upper()][rng.integers(3)]


def written(rng, date):
    """One of five ways of writing `date`, chosen at random."""
    month = MONTHS[date.month - 1]
    style = rng.integers(5)
    if style == 0:
        return _cased(rng, f"{month} {date.day}, {date.year}")
    if style == 1:
        return _cased(rng, f"{month[:3]} {date.day}, {date.year}")
    if style == 2:
        return f"{date.month}/{date.day}/{date.year % 100:02d}"
    if style == 3:
        return _cased(rng, f"{date.day} {month} {date.year}")
    return f"{date.day:02d}.{date.month:02d}.{date.year}"


def encode(texts):
    return np.array([[CHAR_TO_ID[char] for char in text] for text in texts])


def decode(ids):
    return "".join(CHARS[int(i)] for i in ids)


def load(rng, train_size, test_size):
    """(x_train, t_train), (x_test, t_test) as character ids; questions (N, 18), answers (N, 11)."""
    dates = [FIRST + datetime.timedelta(days=int(day))
             for day in rng.integers(0, DAYS, train_size + test_size)]
    x = encode([written(rng, date).ljust(WIDTH) for date in dates])
    t = encode(["_" + date.isoformat() for date in dates])
    return (x[:train_size], t[:train_size]), (x[train_size:], t[train_size:])
