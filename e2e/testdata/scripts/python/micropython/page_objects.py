# window and document from MicroPython: assignments, calls, `new`, and reads.
from pyscript import window, document

document.title = "set from MicroPython"
body = document.body
body.dataset.test = "mpy"
p = document.createElement("p")
p.textContent = "hi from MicroPython"
body.append(p)
day = window.Date.new(2026, 0, 2)
[document.title, body.dataset.test, day.getDate(), window.Math.max(1, 5, 3), window.notThere, repr(body)]
