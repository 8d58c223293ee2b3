"""pyscript.storage: a dict that persists, in the browser's IndexedDB.
`store = await storage("name")` reads it back; each change is written at
once, and `await store.sync()` waits until the changes are stored. The
page and its workers, on either interpreter, share a store of the same
name. Values keep their types: None, bool, int, float, str, bytes,
bytearray, memoryview, and lists, tuples and dicts of them."""

import json


def encode(value):
    """The value as text, its types kept (each value a [type, payload] pair in JSON)."""
    return json.dumps(_packed(value))


def decode(text):
    return _unpacked(json.loads(text))


def _packed(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return ["v", value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        kind = "b" if isinstance(value, bytes) else "ba" if isinstance(value, bytearray) else "mv"
        return [kind, bytes(value).hex()]
    if isinstance(value, (list, tuple)):
        return ["l" if isinstance(value, list) else "t", [_packed(item) for item in value]]
    if isinstance(value, dict):
        return ["d", [[_packed(key), _packed(item)] for key, item in value.items()]]
    raise TypeError(
        "a %s cannot be stored: store None, bool, int, float, str, bytes, bytearray, memoryview, or lists, tuples and dicts of them"
        % type(value).__name__
    )


def _unpacked(pair):
    kind, payload = pair
    if kind == "v":
        return payload
    if kind in ("b", "ba", "mv"):
        raw = bytes.fromhex(payload)
        return raw if kind == "b" else bytearray(raw) if kind == "ba" else memoryview(raw)
    if kind in ("l", "t"):
        items = [_unpacked(item) for item in payload]
        return items if kind == "l" else tuple(items)
    return {_unpacked(key): _unpacked(item) for key, item in payload}


class Storage(dict):
    """A store's entries: a dict whose changes are written to the store as they are made."""

    def __init__(self, store):
        super().__init__()
        self._store = store

    def _read(self, key, text):
        """An entry read back from the store (not written again)."""
        super().__setitem__(key, decode(text))

    def __setitem__(self, key, value):
        text = encode(value)  # refused before anything changes
        super().__setitem__(key, value)
        self._store.put(key, text)

    def __delitem__(self, key):
        super().__delitem__(key)
        self._store.delete(key)

    def clear(self):
        super().clear()
        self._store.clear()

    def pop(self, key, *default):
        present = key in self
        value = super().pop(key, *default)
        if present:
            self._store.delete(key)
        return value

    def popitem(self):
        key, value = super().popitem()
        self._store.delete(key)
        return key, value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *others, **entries):
        """As dict.update: from mappings, from (key, value) pairs, then from keywords."""
        for other in others:
            pairs = ((key, other[key]) for key in other.keys()) if hasattr(other, "keys") else other
            for key, value in pairs:
                self[key] = value
        for key, value in entries.items():
            self[key] = value

    async def sync(self):
        """Waits until every change made so far is stored."""
        await self._store.sync()


async def storage(name="", storage_class=Storage):
    """The store of this name, read back (a new one is empty); storage_class may be a subclass of Storage."""
    if not name:
        raise ValueError("storage() needs a non-empty name: await storage(\"my-app\")")
    import _pyworker_storage  # here, not above: encode and decode run in CPython's unit tests

    store = await _pyworker_storage.open("@pyscript/" + name)
    stored = storage_class(store)
    for key, text in await store.entries():
        stored._read(key, text)
    return stored
