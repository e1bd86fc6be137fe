"""SimpleCBOW on "You say goodbye and I say hello." (DLFS2 3.5), trained with Adam.

The loop is the book's Trainer: each epoch shuffles the 6 (contexts, target) pairs and makes
floor(6 / batch_size) updates, so with a batch size that does not divide 6 the leftover pairs
sit out that epoch. Shared weights (W_in, used by both input layers) are merged before each
update.
"""

import numpy as np
from optim import Adam
from simple_cbow import SimpleCBOW, remove_duplicate
from text import convert_one_hot, create_contexts_target, preprocess

from studyterm import labkit

TEXT = "You say goodbye and I say hello."


def main():
    params = labkit.params()
    rng = np.random.default_rng(params["seed"])
    corpus, word_to_id, id_to_word = preprocess(TEXT)
    vocab_size = len(word_to_id)
    contexts, target = create_contexts_target(corpus, window_size=1)
    contexts = convert_one_hot(contexts, vocab_size)
    model = SimpleCBOW(vocab_size, params["hidden_size"], rng)
    optimizer = Adam(lr=params["lr"])
    batch_size, epochs = params["batch_size"], params["epochs"]
    per_epoch = len(target) // batch_size
    total = epochs * per_epoch
    print(f"{len(target)} (contexts, target) pairs, batch size {batch_size}: "
          f"{per_epoch} updates per epoch (floor), {total} in all")
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(target))
        epoch_losses = []
        for i in range(per_epoch):
            batch = order[i * batch_size : (i + 1) * batch_size]
            loss = model.forward(contexts[batch], target[batch])
            model.backward()
            optimizer.update(*remove_duplicate(model.params, model.grads))
            step += 1
            epoch_losses.append(loss)
            labkit.metric("loss", step, loss)
            labkit.progress(step, total)
        if (epoch + 1) % max(1, epochs // 10) == 0:
            print(f"epoch {epoch + 1:5d}  loss {np.mean(epoch_losses):.4f}")
    final_loss = float(model.forward(contexts, target))
    predicted = model.predict(contexts).argmax(axis=1)
    for pair, guess in zip(create_contexts_target(corpus, window_size=1)[0], predicted, strict=True):
        print(f"  {id_to_word[pair[0]]:>7s} _ {id_to_word[pair[1]]:<7s} -> {id_to_word[guess]}")
    for word_id, word in id_to_word.items():
        print(f"  {word:>7s}  " + " ".join(f"{v:6.2f}" for v in model.word_vecs[word_id]))
    labkit.result(final_loss=final_loss, accuracy=float(np.mean(predicted == target)),
                  updates_per_epoch=per_epoch, updates=total)


if __name__ == "__main__":
    main()
