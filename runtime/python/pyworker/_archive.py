"""Archives of the user's code (createWorker's `archive` option)."""

import io
import sys


def _unpack_archive(data, name, format, extract_dir=None):
    """Unpacks the archive's bytes into extract_dir (by default the working
    folder) and puts that on sys.path; returns what was wrong, if anything.
    Every entry must land inside the folder: one that would not (`../x`,
    `/etc/x`, a link leading out) refuses the whole archive, naming the
    entry, before anything is written."""
    import os
    import tarfile
    import zipfile

    folder = os.path.realpath(extract_dir or os.getcwd())
    stream = io.BytesIO(data.to_py())

    def outside(path):
        target = os.path.realpath(os.path.join(folder, path))
        return os.path.isabs(path) or os.path.commonpath([folder, target]) != folder

    def escaping(entries):
        """What is wrong with the first (name, where it links to or None) that leads out."""
        for entry, link in entries:
            if outside(entry):
                return f"entry {entry!r} would land outside {folder}"
            if link is not None and outside(link):
                return f"entry {entry!r} is a link leading outside {folder}"
        return None

    try:
        if format == "zip":
            with zipfile.ZipFile(stream) as archive:
                why = escaping((entry, None) for entry in archive.namelist())
                if why is None:
                    os.makedirs(folder, exist_ok=True)
                    archive.extractall(folder)
        else:
            with tarfile.open(fileobj=stream, mode="r:*") as archive:
                members = archive.getmembers()
                # A symbolic link's target is relative to its folder, a hard link's to the archive's.
                why = escaping(
                    (m.name, os.path.join(os.path.dirname(m.name), m.linkname) if m.issym() else m.linkname if m.islnk() else None)
                    for m in members
                )
                if why is None:
                    # The data filter refuses what is not plain data (a FIFO, a device): asked about
                    # every member first, it refuses the archive before anything is written.
                    for member in members:
                        tarfile.data_filter(member, folder)
                    os.makedirs(folder, exist_ok=True)
                    archive.extractall(folder, members, filter="data")
    except tarfile.FilterError as exc:
        why = str(exc)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        return f"{name} is not a valid {format} archive: {exc}"
    if why is not None:
        return f"{name} was refused: {why}; nothing was unpacked"
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import importlib

    importlib.invalidate_caches()
    return None
