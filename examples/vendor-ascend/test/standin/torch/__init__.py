# A stand-in for torch in gpuhost's end-to-end test of this vendor: the few
# calls the smoke test makes, in pure Python, so a run can be proven without
# the real wheels or an NPU. Never installed anywhere but a test environment.
float32 = "float32"


class device:
    def __init__(self, spec):
        self.type = str(spec).split(":")[0]
        self.spec = str(spec)

    def __str__(self):
        return self.spec


class Tensor:
    def __init__(self, rows, where="cpu"):
        self.rows = [list(r) for r in rows]
        self.where = str(where)

    def reshape(self, n, m):
        flat = [x for r in self.rows for x in r]
        return Tensor([flat[i * m:(i + 1) * m] for i in range(n)], self.where)

    def to(self, dev):
        kind = dev.type if isinstance(dev, device) else str(dev).split(":")[0]
        if kind != "cpu" and not getattr(globals().get(kind), "is_available", lambda: False)():
            raise RuntimeError("no backend registered for device type " + kind)
        return Tensor(self.rows, dev)

    @property
    def device(self):
        return device(self.where)

    def cpu(self):
        return Tensor(self.rows, "cpu")

    @property
    def T(self):
        return Tensor([list(c) for c in zip(*self.rows)], self.where)

    def __matmul__(self, other):
        cols = list(zip(*other.rows))
        return Tensor([[sum(a * b for a, b in zip(r, c)) for c in cols] for r in self.rows], self.where)


def arange(n, dtype=None):
    return Tensor([[float(i) for i in range(n)]])


def allclose(a, b, tol=1e-5):
    return all(abs(x - y) <= tol for ra, rb in zip(a.rows, b.rows) for x, y in zip(ra, rb))
