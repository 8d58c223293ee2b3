# Reads of window and document, and a write.
from pyworker import window, document
document.body.dataset.test = 'yes'
(document.body.dataset.test, document.title, window.location.pathname, window.innerWidth > 0, window.Date.new(0).getTime())
