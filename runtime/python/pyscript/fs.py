"""pyscript.fs: a folder of the user's computer mounted into Pyodide's file
system, through the browser's File System Access API (Chromium-based
browsers; the user picks the folder). `await mount("/data")`, then
ordinary files under /data; `await sync("/data")` writes changes back;
`await unmount("/data")`. On the page's main thread with Pyodide; anywhere
else, mount says why it cannot."""

import sys

import js

from . import context
from .ffi import to_js

# The mounted folders, by path: what pyodide.mountNativeFS gave.
mounted = {}


async def mount(path, mode="readwrite", id="pyscript", root=""):
    """Mounts the folder the user picks at path (in Pyodide's file system)."""
    if context.RUNNING_IN_WORKER:
        raise RuntimeError("pyscript.fs.mount works on the page's main thread: a worker cannot show the folder picker")
    if sys.implementation.name == "micropython":
        raise RuntimeError("pyscript.fs.mount needs Pyodide: MicroPython has no native file system mounts")
    if not hasattr(js, "showDirectoryPicker"):
        raise RuntimeError("this browser has no File System Access API (showDirectoryPicker): mount a folder in a Chromium-based browser")
    options = {"id": id, "mode": mode}
    if root:
        options["startIn"] = root
    handle = await js.showDirectoryPicker(to_js(options))
    if not await _check_permission(handle, mode):
        raise PermissionError("the user did not allow %s access to the folder" % mode)
    import pyodide_js

    mounted[path] = await pyodide_js.mountNativeFS(path, handle)


async def _check_permission(handle, mode):
    """Whether the page may use the folder in this mode, asking the user if it must."""
    options = to_js({"mode": mode})
    if await handle.queryPermission(options) == "granted":
        return True
    return await handle.requestPermission(options) == "granted"


async def sync(path):
    """Writes the changes under a mounted path back to the folder (KeyError if nothing is mounted there)."""
    await mounted[path].syncfs()


async def unmount(path):
    """Writes back and unmounts a mounted path (KeyError if nothing is mounted there)."""
    await sync(path)
    del mounted[path]
    import pyodide_js

    pyodide_js.FS.unmount(path)


async def revoke(path, id="pyscript"):
    """Unmounts path if it is mounted; the browser asks again at the next mount."""
    if path in mounted:
        await unmount(path)
