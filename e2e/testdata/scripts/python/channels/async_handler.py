# An async click handler that returns a page object, or raises (at line 10).
from pyworker import document

button = document.createElement("button")
button.id = "async-button"
document.body.append(button)

async def on_click(event):
    if button.dataset.fail == "yes":
        raise ValueError("handler failed")
    button.textContent = "handled"
    return document.body

button.addEventListener("click", on_click)
