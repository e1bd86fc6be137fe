"""A character-level language model: a plain RNN against an LSTM (your cell), and both against
the unigram baseline, by validation perplexity per character.

Perplexity is exp(mean cross-entropy in nats): the number of characters the model is, on
average, as unsure between as if it picked uniformly among them. The unigram model predicts
every character from its frequency alone.
"""

import math

import text
import torch
import torch.nn.functional as F
from cells import CharModel
from optim import Adam

from studyterm import labkit


def pick_device(choice):
    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return choice


def encode(corpus, device):
    vocab = sorted(set(corpus))
    index = {ch: i for i, ch in enumerate(vocab)}
    return vocab, torch.tensor([index[ch] for ch in corpus], device=device)


def unigram_perplexity(train_ids, val_ids, vocab_size):
    counts = torch.bincount(train_ids, minlength=vocab_size).double() + 1  # add-one smoothing
    log_p = (counts / counts.sum()).log()
    return math.exp(-log_p[val_ids].mean().item())


@torch.no_grad()
def perplexity(model, ids, seq_len, streams=16):
    """exp of the mean cross-entropy of predicting each character from those before it. The
    text is cut into `streams` consecutive pieces read side by side (one batch), the state
    carried from chunk to chunk, so each character sees everything before it in its piece."""
    model.eval()
    length = (len(ids) - 1) // streams
    inputs = ids[:length * streams].view(streams, length)
    targets = ids[1:length * streams + 1].view(streams, length)
    state, total = None, 0.0
    for start in range(0, length, seq_len):
        logits, state = model(inputs[:, start:start + seq_len], state)
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                 targets[:, start:start + seq_len].reshape(-1),
                                 reduction="sum").item()
    return math.exp(total / targets.numel())


def train(model, ids, params, generator, name, report):
    """Random windows of seq_len + 1 characters, batch_size at a time, for `steps` updates."""
    optimizer = Adam(model.parameters(), lr=params["lr"])
    seq_len, batch = params["seq_len"], params["batch_size"]
    model.train()
    for step in range(1, params["steps"] + 1):
        starts = torch.randint(0, len(ids) - seq_len - 1, (batch,), generator=generator)
        window = torch.stack([ids[s:s + seq_len + 1] for s in starts.tolist()])
        logits, _ = model(window[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), window[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if step % 10 == 0 or step == params["steps"]:
            labkit.metric(f"{name}_loss", step, loss.item())
        report()


def main():
    labkit.require("torch")
    params = labkit.params()
    torch.set_num_threads(params["threads"])
    torch.manual_seed(params["seed"])
    device = pick_device(params["device"])
    vocab, ids = encode(text.load(), device)
    cut = int(len(ids) * 0.9)
    train_ids, val_ids = ids[:cut], ids[cut:][:params["val_chars"]]
    print(f"{len(ids)} characters, {len(vocab)} distinct; validating on {len(val_ids)}")
    results = {"unigram_ppl": unigram_perplexity(train_ids, val_ids, len(vocab))}
    generator = torch.Generator().manual_seed(params["seed"])
    done, total = 0, 2 * params["steps"]

    def report():
        nonlocal done
        done += 1
        labkit.progress(done, total)

    for kind in ("rnn", "lstm"):
        model = CharModel(len(vocab), params["hidden"], kind).to(device)
        train(model, train_ids, params, generator, kind, report)
        results[f"{kind}_ppl"] = perplexity(model, val_ids, params["seq_len"])
    results["lstm_vs_unigram"] = results["lstm_ppl"] / results["unigram_ppl"]
    print("validation perplexity per character: " +
          ", ".join(f"{k} {v:.2f}" for k, v in results.items()))
    labkit.result(results)


if __name__ == "__main__":
    main()
