"""Adam, as torch.optim.Adam computes it (no weight decay, no AMSGrad), with the same
`zero_grad()` / `step()` interface.

Why not torch.optim? Creating any torch.optim optimizer imports torch._dynamo, which costs
more CPU time than this lab's whole training; the update itself is a few lines.
"""

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = [p for p in params if p.requires_grad]
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.t = 0

    def zero_grad(self):
        """Forget the last step's gradients (backward() adds to .grad)."""
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        beta1, beta2 = self.betas
        for p, m, v in zip(self.params, self.m, self.v):
            if p.grad is None:
                continue
            m.mul_(beta1).add_(p.grad, alpha=1 - beta1)
            v.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
            m_hat = m / (1 - beta1**self.t)
            v_hat = v / (1 - beta2**self.t)
            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))
