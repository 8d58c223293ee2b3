# Binary views from the page: a Float16Array and a subclass of Float32Array.
from pyworker import sync

half = sync.half()
samples = sync.samples()
half.constructor.name, half[1], samples.constructor.name, samples.length, samples[2]
