# A small app as PyScript's examples write them: pyscript.web builds the page, when() wires a button.
from pyscript import web, when

count = web.span("0", id="count")
web.page.append(web.div(web.button("add one", id="add"), " clicked ", count, " times"))


@when("click", "#add")
def add(event):
    count.innerHTML = str(int(count.innerHTML) + 1)


web.page.append(web.p("first print"))
