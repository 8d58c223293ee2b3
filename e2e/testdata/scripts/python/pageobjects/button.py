# A button made in Python, with a Python function as its click listener.
from pyworker import document
body = document.body
button = document.createElement('button')
button.id = 'py-button'
button.textContent = 'made in Python'
body.append(button)
clicks = []
def on_click(event):
    clicks.append(event.type)
    button.textContent = f'clicked {len(clicks)} times'
button.addEventListener('click', on_click)
