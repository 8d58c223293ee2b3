// Sends every message straight back.
self.onmessage = (event) => self.postMessage(event.data);
