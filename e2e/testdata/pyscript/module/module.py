# PyScript's module as an app uses it, the same file on the page and in
# workers, on both interpreters.
import asyncio
import sys

import js
from pyscript import HTML, RUNNING_IN_WORKER, Event, config, current_target, display, fetch, ffi, storage, util, when, window
from pyscript.js_modules import greeting

micropython = sys.implementation.name == "micropython"
name = ("mpy" if micropython else "py") + (" worker" if RUNNING_IN_WORKER else "")

display("<b>" + name + "</b>")  # escaped, into this script's own output element
display(HTML("<i>" + name + "</i>"), target="#out")


class Card:
    def _repr_html_(self):
        return "<em>card</em>"


display(Card(), target="out")

done = Event()


@when(done)
def finished(result):
    print(name, "| event", result)


def make_listener():
    async def listener(result):  # a closure: MicroPython's inspect cannot tell it is async
        print(name, "| closure", result)

    return listener


done.add_listener(make_listener())
other = Event()
stacked_calls = []


@when(done)
@when(other)
def stacked(result):  # two whens stacked: each passes the result on
    stacked_calls.append(result)


other.trigger(1)
done.trigger(7)


async def no_argument():
    await asyncio.sleep(0)
    print(name, "| async event")


when(done)(no_argument)
done.trigger(8)

# fetch, the way apps chain it, a failure's status, options, the body as bytes.
data = await fetch("/pyscript/module/data.json").json()
missing = await fetch("/pyscript/module/missing.json")
raw = await fetch("/pyscript/module/data.json", method="GET", headers={"Accept": "application/json"}).bytearray()
fetched = data["items"] == [1, 2] and not missing.ok and missing.status == 404 and raw.startswith(b'{"answer"')

# storage: written, synced, read back by a second opening with the types kept.
store = await storage("module-" + name)
store.clear()
store["n"] = 1
store.update({"t": (1.5, b"x")}, note=None)
del store["n"]
await store.sync()
stored = sorted((await storage("module-" + name)).items()) == [("note", None), ("t", (1.5, b"x"))]

# A page promise awaited: in a worker, through the page, which calls back when it settles.
response = await window.fetch("/pyscript/module/data.json")
awaited = (await response.json()).answer == 42 and (await window.Promise.resolve("plain")) == "plain"

view = js.Uint8Array.new(2)
view[0], view[1] = 104, 105
bytes_ = util.as_bytearray(view.buffer)
checks = [
    util.is_awaitable(no_argument),
    not util.is_awaitable(finished),
    ffi.is_none(None),
    bytes_ == bytearray(b"hi"),
    fetched,
    stored,
    stacked_calls == [1, 7, 8],
    awaited,
    greeting.hello(name) == "hello " + name + " from the page's module",
]
# A click this script causes, then awaits: in a worker its handler runs while the script awaits it.
heard = asyncio.Event()


@when("click", "#ping")
def ping(event):
    heard.set()


window.document.getElementById("ping").click()
await heard.wait()  # (MicroPython's wait_for cannot cancel a wait at top level: a hang here fails the test)


@when("click", "#go")
def clicked(event):
    print(name, "| clicked", event.type)


@when("click", "#go", once=True)
async def clicked_once():
    await asyncio.sleep(0)
    print(name, "| clicked once")


print(name, "|", current_target(), "|", config["answer"], config["type"], "|", all(checks))
