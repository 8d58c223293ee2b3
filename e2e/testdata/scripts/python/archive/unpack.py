# The archive check of pyworker unpacking data into dir: what was wrong, and whether dir exists after.
import os
import pyworker
from js import data, format, dir

why = pyworker._unpack_archive(data, "the archive", format, dir)
why, os.path.exists(dir)
