"""torch.utils.data.DataLoader's index flow, as a sampler meets it.

Written from pytorch/pytorch torch/utils/data/dataloader.py @ fad60484572c490384c107cf625d484e34dc9bcf:
the loader batches the sampler (BatchSampler: `batch_size` indices per batch, the last one short
unless drop_last). With num_workers=0 (_SingleProcessDataLoaderIter) a batch's indices are drawn
when the loop asks for that batch. With workers (_MultiProcessingDataLoaderIter), _reset primes
`prefetch_factor * num_workers` batches of indices when the iterator is created, and each batch
returned to the loop sends one more (_process_data -> _try_put_index).
"""


def _batches(sampler, batch_size, drop_last):
    batch = []
    for i in sampler:
        batch.append(i)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch and not drop_last:
        yield batch


class DataLoader:
    def __init__(self, dataset, batch_size=1, sampler=None, drop_last=False, num_workers=0, prefetch_factor=None, collate_fn=None):
        self.dataset, self.batch_size, self.sampler, self.drop_last = dataset, batch_size, sampler, drop_last
        self.collate_fn = collate_fn or (lambda rows: rows)
        self.num_workers = num_workers
        self.prefetch_factor = (2 if prefetch_factor is None else prefetch_factor) if num_workers > 0 else None

    def __len__(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        index_iter = _batches(self.sampler, self.batch_size, self.drop_last)
        if self.num_workers == 0:
            for idx in index_iter:
                yield self.collate_fn([self.dataset[i] for i in idx])
            return
        queue = []
        for _ in range(self.prefetch_factor * self.num_workers):  # _reset: prime the prefetch loop
            nxt = next(index_iter, None)
            if nxt is not None:
                queue.append(nxt)
        while queue:
            idx = queue.pop(0)
            nxt = next(index_iter, None)  # _process_data -> _try_put_index
            if nxt is not None:
                queue.append(nxt)
            yield self.collate_fn([self.dataset[i] for i in idx])


def loaders():
    """The DataLoader classes to test with: this stand-in, and torch's own when torch is installed."""
    out = [DataLoader]
    try:
        from torch.utils.data import DataLoader as Real
        out.append(Real)
    except ImportError:
        pass
    return out
