"""The check of c50_char_lstm's hole: one step of the learner's LSTM cell against nn.LSTMCell
carrying the same weights, in float64 (never copied to the learner)."""

from studyterm import labkit


def _case(torch, batch, inputs, hidden, seed):
    torch.manual_seed(seed)
    cell = torch.nn.LSTMCell(inputs, hidden).double()
    x = torch.randn(batch, inputs, dtype=torch.float64)
    h = torch.randn(batch, hidden, dtype=torch.float64)
    c = torch.randn(batch, hidden, dtype=torch.float64)
    return cell, x, h, c


@labkit.check("lstm_cell", "h and c match nn.LSTMCell with the same weights (float64)")
def matches_lstm_cell(learner, reference):
    torch = labkit.require("torch")
    for batch, inputs, hidden in ((4, 3, 5), (1, 7, 2)):
        cell, x, h, c = _case(torch, batch, inputs, hidden, seed=batch)
        with torch.no_grad():
            want_h, want_c = cell(x, (h, c))
            got = learner.cells.lstm_cell(x, h, c, cell.weight_ih, cell.weight_hh, cell.bias_ih,
                                          cell.bias_hh)
        labkit.expect_true(isinstance(got, tuple) and len(got) == 2,
                           "return the pair (h_new, c_new)")
        got_h, got_c = got
        labkit.expect_close(f"c_new (batch {batch}, hidden {hidden})", got_c.numpy(),
                            want_c.numpy(), rel_error=1e-9)
        labkit.expect_close(f"h_new (batch {batch}, hidden {hidden})", got_h.numpy(),
                            want_h.numpy(), rel_error=1e-9)


@labkit.check("lstm_cell", "gradients flow back to x, h, c and every weight as through "
                           "nn.LSTMCell")
def gradients_match(learner, reference):
    torch = labkit.require("torch")
    cell, x, h, c = _case(torch, 3, 4, 6, seed=9)
    inputs = [x, h, c]
    for tensor in inputs:
        tensor.requires_grad_(True)
    want_h, want_c = cell(*inputs[:1], (inputs[1], inputs[2]))
    (want_h.sum() + 2 * want_c.sum()).backward()
    want = [t.grad.clone() for t in inputs] + [p.grad.clone() for p in cell.parameters()]
    for tensor in [*inputs, *cell.parameters()]:
        tensor.grad = None
    got_h, got_c = learner.cells.lstm_cell(x, h, c, cell.weight_ih, cell.weight_hh, cell.bias_ih,
                                           cell.bias_hh)
    labkit.expect_true(got_h.requires_grad, "h_new is detached from autograd: build it from the "
                                            "tensors you are given, without .detach() or .data")
    (got_h.sum() + 2 * got_c.sum()).backward()
    names = ["x", "h", "c", "weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    got = [t.grad for t in inputs] + [p.grad for p in cell.parameters()]
    for name, g, w in zip(names, got, want, strict=True):
        labkit.expect_true(g is not None, f"no gradient reached {name}")
        labkit.expect_close(f"the gradient of {name}", g.numpy(), w.numpy(), rel_error=1e-9)
