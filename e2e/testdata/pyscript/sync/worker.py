from pyscript import sync, window

greeting = sync.hello("PyScript")
window.console.log(greeting)
