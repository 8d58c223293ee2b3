"""pyscript.media: the page's cameras and microphones. `await
list_devices()` gives Devices (`id`, `kind`, `label`, `group`, also by
key); `await Device.request_stream(audio=..., video=...)` and `await
device.get_stream()` give a MediaStream (for a <video>'s srcObject). On
the page's main thread: a worker cannot await the page's promises yet."""

from . import context
from .ffi import to_js


def _media_devices():
    if context.RUNNING_IN_WORKER:
        raise RuntimeError("pyscript.media works on the page's main thread: pyworker's workers cannot await the page's promises yet")
    return context.window.navigator.mediaDevices


class Device:
    """A camera, microphone or speaker, as the browser lists it."""

    def __init__(self, device):
        self._device = device

    @property
    def id(self):
        return self._device.deviceId

    @property
    def group(self):
        return self._device.groupId

    @property
    def kind(self):
        return self._device.kind

    @property
    def label(self):
        return self._device.label

    def __getitem__(self, key):
        return getattr(self, key)

    def __repr__(self):
        return "<Device %s %r>" % (self.kind, self.label)

    @classmethod
    async def request_stream(cls, audio=False, video=True):
        """A stream from the default devices (the browser asks the user)."""
        return await _media_devices().getUserMedia(to_js({"audio": audio, "video": video}))

    async def get_stream(self):
        """A stream from this device (a camera or microphone)."""
        kind = "video" if self.kind == "videoinput" else "audio"
        return await _media_devices().getUserMedia(to_js({kind: {"deviceId": {"exact": self.id}}}))


async def list_devices():
    """The page's media devices (labels are empty until the user has allowed a stream)."""
    return [Device(device) for device in await _media_devices().enumerateDevices()]
