// The floor of the service-worker channel, its worker: each call posts the
// question to the page and blocks in a synchronous request that the service
// worker holds until the page has answered.
self.onmessage = ({ data: calls }) => {
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    self.postMessage(i);
    const request = new XMLHttpRequest();
    request.open("POST", "./ask", false);
    request.send();
    if (request.responseText !== String(i)) throw new Error(`answer ${request.responseText} to call ${i}`);
  }
  self.postMessage({ us: ((performance.now() - start) * 1000) / calls });
};
