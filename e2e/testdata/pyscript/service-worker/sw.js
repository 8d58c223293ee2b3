// A service worker in the manner of mini-coi: it adds the cross-origin
// isolation headers to the pages it serves. pyworker's own does that.
importScripts("/pyworker/sw.js");
