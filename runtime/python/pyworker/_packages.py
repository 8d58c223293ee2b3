"""Pyodide's lock-file packages: loading those a source imports, and saying
why one did not load."""

from functools import lru_cache

import js
import pyodide_js
from pyodide.ffi import create_proxy


async def load_packages(source, errors):
    """Loads the lock-file packages that source imports; their errors go to `errors`."""
    on_error = create_proxy(errors.append)
    on_message = create_proxy(lambda message: None)
    try:
        options = js.Object.new()
        options.errorCallback = on_error
        options.messageCallback = on_message
        await pyodide_js.loadPackagesFromImports(source, options)
    finally:
        on_error.destroy()
        on_message.destroy()


@lru_cache(maxsize=None)
def lock_file_packages():
    """Import name → the lock-file entry of the package that provides it."""
    return {name: package for package in js.Object.values(pyodide_js.lockfile.packages) for name in package.imports}


async def why_not_loaded(import_name, load_errors):
    """Says which package of the lock file did not load for `import_name`,
    from where, and why.

    Pyodide fetches a package with the lock file's checksum as the request's
    integrity, so a missing file, a wrong one and an unreachable server all
    reach it as the engine's bare network error ("Failed to fetch",
    "NetworkError when attempting to fetch resource.", "Load failed"). Asking
    the server once more tells them apart, in its own words where it gives
    some (pyworker's package mirror does).
    """
    said = " ".join(load_errors)
    package = lock_file_packages().get(import_name)
    if package is None:
        return f"its package: {said}"
    url = js.URL.new(package.file_name, pyodide_js.lockfileBaseUrl).href
    where = f"its package {package.name!r} from {url}"
    if not said:
        return f"{where}: it loaded, yet the module is not there"
    try:
        response = await js.fetch(url, cache="no-store")
    except Exception as exc:
        return f"{where}: the server cannot be reached ({exc}); Pyodide said: {said}"
    if not response.ok:
        words = await plain_text(response)
        return f"{where}: the server answered {response.status} {response.statusText}{words}; Pyodide said: {said}"
    await response.body.cancel()
    return f"{where}: the server has the file, so it does not match the lock file's sha256 or its download broke off; Pyodide said: {said}"


async def plain_text(response, limit=1000):
    """The server's words on an error, as " (text)": a plain-text body that
    says more than its status ("404 page not found" does not), else ""."""
    if not (response.headers.get("Content-Type") or "").startswith("text/plain"):
        return ""
    text = (await response.text()).strip()
    return f" ({text[:limit]})" if text and not text.startswith(str(response.status)) else ""
