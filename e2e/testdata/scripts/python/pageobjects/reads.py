# Reads of window and document, a write, and None as an argument (JavaScript's undefined, not a callback).
from pyworker import window, document
document.body.dataset.test = 'yes'
(document.body.dataset.test, document.title, window.location.pathname, window.innerWidth > 0, window.Date.new(0).getTime(),
 window.String(None))
