"""The check of c50_causal_lm's hole: the learner's mask, used in attention, must give what
torch.nn.functional.scaled_dot_product_attention gives with is_causal=True (float64)."""

from studyterm import labkit


@labkit.check("causal_mask", "a (length, length) bool tensor, True on and below the "
                             "diagonal; attention with it matches SDPA with is_causal=True")
def matches_is_causal(learner, reference):
    torch = labkit.require("torch")
    generator = torch.Generator().manual_seed(6)
    for length in (1, 5, 9):
        mask = learner.attention.causal_mask(length)
        labkit.expect_true(isinstance(mask, torch.Tensor) and mask.dtype == torch.bool,
                           f"causal_mask({length}) must be a torch.bool tensor, got "
                           f"{getattr(mask, 'dtype', type(mask).__name__)}")
        labkit.expect_true(tuple(mask.shape) == (length, length),
                           f"causal_mask({length}) has shape {tuple(mask.shape)}, want "
                           f"({length}, {length})")
        q, k, v = (torch.randn(2, 3, length, 4, generator=generator, dtype=torch.float64)
                   for _ in range(3))
        want = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
        got = reference.attention.scaled_dot_product_attention(q, k, v, mask)
        if length > 1 and bool(mask[0, 1]):
            raise labkit.CheckFailed(f"causal_mask({length})[0, 1] is True: position 0 may see "
                                     "position 1, a later one (True must be where j <= i)")
        if not bool(mask.diagonal().all()):
            raise labkit.CheckFailed(f"causal_mask({length}) is False on the diagonal: each "
                                     "position must see itself")
        labkit.expect_close(f"attention with causal_mask({length})", got.numpy(), want.numpy(),
                            rel_error=1e-9)
