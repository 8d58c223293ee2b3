// Answers every message with its id alone.
self.onmessage = (event) => self.postMessage({ id: event.data.id });
