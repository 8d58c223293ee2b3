# pyscript.web as apps use it, the same file on the page and in workers, on
# both interpreters: each builds its own box and checks what it reads back.
import sys

from pyscript import RUNNING_IN_WORKER, web

micropython = sys.implementation.name == "micropython"
name = ("mpy" if micropython else "py") + (" worker" if RUNNING_IN_WORKER else "")
slot = name.replace(" ", "-")

box = web.page["box-" + slot]
card = web.div(
    web.h2("Title " + name),
    "<p class='note'>html <b>child</b></p>",
    id="card-" + slot,
    classes=["card", "wide"],
    style={"color": "red"},
)
card.classes.add("new")
card.classes.discard("wide")
box.append(card)

fruits = web.select(id="fruits-" + slot)
box.append(fruits)
fruits.options.add(value="a", html="Apple")
fruits.options.add(value="b", html="Banana", selected=True)
fruits.options.add(value="0", text="zero", before=0)

items = web.ul(*[web.li(str(i)) for i in range(3)])
box.append(items)
items.children.update_all(classes="item")

found = web.page.find("#box-" + slot + " .note")
checks = {
    "wrapped by tag": isinstance(box, web.div) and box.get_tag_name() == "div",
    "renamed tags": web.input_.get_tag_name() == "input" and web.del_.get_tag_name() == "del",
    "find": len(found) == 1 and found[0].innerHTML == "html <b>child</b>",
    "same element": box.find("p")[0] == found[0] and card.parent == box,
    "by id": web.page["#card-" + slot].id == "card-" + slot and box["card-" + slot] == card,
    "classes": "card" in card.classes and "wide" not in card.classes and card.className == "card new",
    "style": card.style["color"] == "red" and card._dom_element.style.color == "red",
    "options": len(fruits.options) == 3 and fruits.options.selected.value == "b" and fruits.options[0].text == "zero",
    "children": [li.innerHTML for li in items] == ["0", "1", "2"] and items[1].className == "item",
    "slices": len(items[0:2]) == 2 and items.children[-1].innerHTML == "2",
    "clone": card.clone("copy-" + slot).id == "copy-" + slot,
    "title": web.page.title == "pyscript.web on the page and in workers",
}


def clicked(event):
    print(name, "| on_click", event.type)


box.append(web.button("go", id="button-" + slot, on_click=clicked))

failed = [check for check, ok in checks.items() if not ok]
print(name, "| web |", ", ".join(failed) or "all true")
