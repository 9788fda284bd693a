"""torchdata's StatefulDataLoader, single-process path, as the adapters meet it.

Written from pytorch/data torchdata/stateful_dataloader/stateful_dataloader.py @ e2b35aa8c495430b8664ee316cb47bb37b2a56ee
and torchdata/stateful_dataloader/sampler.py @ 8617da79db34857b248f20b2b05bce2479e2198c:
- the loader batches the sampler with torchdata's BatchSampler, whose iterator (_BatchSamplerIterator)
  calls iter(sampler) when it is created and pulls batch_size indices per batch;
- state_dict(): the iterator's state, which holds sampler.state_dict() when the sampler is Stateful
  (has state_dict and load_state_dict), and the count of indices yielded;
- load_state_dict(sd) keeps sd until the next iter(loader); that iterator is built (iter(sampler) once),
  then, the sampler being Stateful, rebuilt: sampler.load_state_dict(...) and iter(sampler) again.
  A sampler that is not Stateful is fast-forwarded by drawing the yielded indices again.
"""
import itertools


def is_stateful(obj):
    return callable(getattr(obj, "state_dict", None)) and callable(getattr(obj, "load_state_dict", None))


class _BatchSamplerIterator:
    def __init__(self, sampler, batch_size, drop_last):
        self.sampler = sampler
        self.sampler_iter = iter(sampler)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.samples_yielded = 0

    def __iter__(self):
        return self

    def __next__(self):
        batch = []
        try:
            for _ in range(self.batch_size):
                batch.append(next(self.sampler_iter))
                self.samples_yielded += 1
            return batch
        except StopIteration:
            if self.drop_last or not batch:
                raise
            return batch

    def state_dict(self):
        sd = {"samples_yielded": self.samples_yielded}
        if is_stateful(self.sampler):
            sd["sampler_state"] = self.sampler.state_dict()
        if is_stateful(self.sampler_iter):
            sd["sampler_iter_state"] = self.sampler_iter.state_dict()
        return sd

    def load_state_dict(self, sd):
        self.samples_yielded = sd["samples_yielded"]
        if "sampler_state" in sd:
            self.sampler.load_state_dict(sd["sampler_state"])
        self.sampler_iter = iter(self.sampler)
        if "sampler_iter_state" in sd:
            self.sampler_iter.load_state_dict(sd["sampler_iter_state"])
        if not (is_stateful(self.sampler) or is_stateful(self.sampler_iter)):
            for _ in range(self.samples_yielded):
                next(self.sampler_iter)


class BatchSampler:
    def __init__(self, sampler, batch_size, drop_last):
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self):
        return _BatchSamplerIterator(self.sampler, self.batch_size, self.drop_last)

    def __len__(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


class _SingleProcessIter:
    def __init__(self, loader, next_iter_state=None):
        self.loader = loader
        self._index_sampler = loader.batch_sampler
        self._sampler_iter = iter(self._index_sampler)  # _BaseDataLoaderIter.__init__
        self._sampler_iter_yielded = 0
        self._num_yielded = 0
        self._finished = False
        if next_iter_state is not None:
            self.load_state_dict(next_iter_state)

    def __iter__(self):
        return self

    def __next__(self):
        try:
            idx = next(self._sampler_iter)
        except StopIteration:
            self._finished = True
            raise
        self._sampler_iter_yielded += 1
        self._num_yielded += 1
        return self.loader.collate_fn([self.loader.dataset[i] for i in idx])

    def state_dict(self):
        return {"_index_sampler_state": self._index_sampler.state_dict() if is_stateful(self._index_sampler) else None,
                "_sampler_iter_state": self._sampler_iter.state_dict() if is_stateful(self._sampler_iter) else None,
                "_sampler_iter_yielded": self._sampler_iter_yielded, "_num_yielded": self._num_yielded,
                "_iterator_finished": self._finished}

    def load_state_dict(self, sd):
        self._sampler_iter_yielded = sd["_sampler_iter_yielded"]
        if is_stateful(self._index_sampler) or is_stateful(self._sampler_iter):
            self._sampler_iter = iter(self._index_sampler)
            if sd["_sampler_iter_state"] is not None:
                self._sampler_iter.load_state_dict(sd["_sampler_iter_state"])
        else:
            self._sampler_iter = itertools.islice(self._index_sampler, self._sampler_iter_yielded, None)
        self._num_yielded = sd["_num_yielded"]
        self._finished = sd["_iterator_finished"]


class StatefulDataLoader:
    def __init__(self, dataset, batch_size=1, sampler=None, drop_last=False, collate_fn=None, num_workers=0):
        assert num_workers == 0, "the stand-in covers the single-process path (what verl asserts for curricula)"
        self.dataset = dataset
        self.sampler = sampler
        self.batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.collate_fn = collate_fn or (lambda rows: rows)
        self._iterator = None
        self.next_iter_state = None
        self._initial_iter_for_state_dict = False

    def __len__(self):
        return len(self.batch_sampler)

    def __iter__(self):
        if self._initial_iter_for_state_dict:
            self._initial_iter_for_state_dict = False
        else:
            self._iterator = _SingleProcessIter(self, self.next_iter_state)
            self.next_iter_state = None
        if self._iterator._finished:
            self._iterator = _SingleProcessIter(self, None)
        return self._iterator

    def state_dict(self):
        if self._iterator is None:
            self._iterator = _SingleProcessIter(self, self.next_iter_state)
            self.next_iter_state = None
            self._initial_iter_for_state_dict = True
        return self._iterator.state_dict()

    def load_state_dict(self, sd):
        self._iterator = None
        self._initial_iter_for_state_dict = False
        if sd:
            self.next_iter_state = sd


def loaders():
    """The StatefulDataLoader classes to test with: this stand-in, and torchdata's own when installed."""
    out = [StatefulDataLoader]
    try:
        from torchdata.stateful_dataloader import StatefulDataLoader as Real
        out.append(Real)
    except ImportError:
        pass
    return out
