"""Negative samples for negative sampling: words drawn from the unigram distribution raised to
the power 0.75 (word2vec's choice: rare words a little more likely than their counts say)."""

import numpy as np


class UnigramSampler:
    def __init__(self, corpus, power, sample_size, rng):
        self.counts = np.bincount(corpus).astype(np.float64)
        self.vocab_size = len(self.counts)
        self.power = power
        self.sample_size = sample_size
        self.rng = rng

    def get_negative_sample(self, target):
        """(batch, sample_size) word ids, never the target word of their row."""
        # >>> hole sampler
        p = self.counts**self.power
        p /= p.sum()
        shape = (len(target), self.sample_size)
        negative_sample = self.rng.choice(self.vocab_size, size=shape, p=p)
        clash = negative_sample == target[:, None]
        while clash.any():  # draw again wherever a negative is the row's own target
            negative_sample[clash] = self.rng.choice(self.vocab_size, size=clash.sum(), p=p)
            clash = negative_sample == target[:, None]
        # <<< hole sampler
        return negative_sample
