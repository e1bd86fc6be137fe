"""Our NumPy TimeLSTM against torch.nn.LSTM, in float64, on the same weights.

The gates are the same four but packed in another order: the book's Wx (D, 4H) holds the
blocks f, g, i, o side by side (columns), torch's weight_ih_l0 (4H, D) holds i, f, g, o
stacked (rows). torch also has two biases, b_ih and b_hh, which are simply added: we give it
our b as b_ih and zeros as b_hh.
"""

import numpy as np
from time_layers import TimeLSTM

BOOK_TO_TORCH = [2, 0, 1, 3]
"""torch's block k is the book's block BOOK_TO_TORCH[k]: i is the book's 3rd, f its 1st, ..."""


def _book_blocks_to_torch(W):
    """(rows, 4H) in the book's order -> (4H, rows) in torch's: reorder the column blocks,
    then transpose."""
    blocks = np.split(W, 4, axis=-1)
    return np.concatenate([blocks[k] for k in BOOK_TO_TORCH], axis=-1).T


def _torch_blocks_to_book(W):
    """The inverse: (4H, rows) in torch's order -> (rows, 4H) in the book's."""
    blocks = np.split(W.T, 4, axis=-1)
    book = [None] * 4
    for k, source in enumerate(BOOK_TO_TORCH):
        book[source] = blocks[k]
    return np.concatenate(book, axis=-1)


def compare(torch, rng, N=3, T=5, D=4, H=6, device="cpu"):
    """Largest relative error between our TimeLSTM and torch.nn.LSTM: of the outputs hs, and
    of the gradients of sum(hs * dhs) with respect to xs, Wx, Wh and b."""
    Wx = rng.standard_normal((D, 4 * H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, 4 * H)) / np.sqrt(H)
    b = 0.1 * rng.standard_normal(4 * H)
    xs, dhs = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, H))

    ours = TimeLSTM(Wx.copy(), Wh.copy(), b.copy())
    hs = ours.forward(xs)
    dxs = ours.backward(dhs)

    lstm = torch.nn.LSTM(D, H, batch_first=True, dtype=torch.float64, device=device)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.tensor(_book_blocks_to_torch(Wx)))
        lstm.weight_hh_l0.copy_(torch.tensor(_book_blocks_to_torch(Wh)))
        lstm.bias_ih_l0.copy_(torch.tensor(_book_blocks_to_torch(b[None, :])[:, 0]))
        lstm.bias_hh_l0.zero_()
    x_t = torch.tensor(xs, dtype=torch.float64, device=device, requires_grad=True)
    hs_t, _ = lstm(x_t)  # h0 = c0 = 0, as our non-stateful TimeLSTM
    (hs_t * torch.tensor(dhs, device=device)).sum().backward()

    def rel(a, b):
        return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8)))

    theirs = {
        "hs": hs_t.detach().cpu().numpy(),
        "dxs": x_t.grad.cpu().numpy(),
        "dWx": _torch_blocks_to_book(lstm.weight_ih_l0.grad.cpu().numpy()),
        "dWh": _torch_blocks_to_book(lstm.weight_hh_l0.grad.cpu().numpy()),
        "db": _torch_blocks_to_book(lstm.bias_ih_l0.grad.cpu().numpy()[:, None])[0],
    }
    mine = {"hs": hs, "dxs": dxs, "dWx": ours.grads[0], "dWh": ours.grads[1], "db": ours.grads[2]}
    return {name: rel(mine[name], theirs[name]) for name in mine}
