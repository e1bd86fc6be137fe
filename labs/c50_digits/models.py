"""The two models: an MLP on the 64 pixels, and a small CNN built from two conv blocks."""

from torch import nn


class MLP(nn.Module):
    """64 pixels -> hidden units (ReLU) -> 10 logits."""

    def __init__(self, hidden=64):
        super().__init__()
        self.layers = nn.Sequential(nn.Flatten(), nn.Linear(64, hidden), nn.ReLU(),
                                    nn.Linear(hidden, 10))

    def forward(self, x):
        return self.layers(x)


def conv_block(in_channels, out_channels):
    """A 3x3 convolution that keeps the image size, ReLU, then 2x2 max pooling (halves it)."""
    # >>> hole conv_block
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=2),
    )
    # <<< hole conv_block


class CNN(nn.Module):
    """(N, 1, 8, 8) -> conv block -> (N, c1, 4, 4) -> conv block -> (N, c2, 2, 2) -> 10 logits."""

    def __init__(self, channels=(16, 32), dropout=0.25):
        super().__init__()
        c1, c2 = channels
        self.features = nn.Sequential(conv_block(1, c1), conv_block(c1, c2))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(c2 * 2 * 2, 10))

    def forward(self, x):
        return self.head(self.features(x))
