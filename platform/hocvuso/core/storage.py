"""The media storage: FileSystemStorage with names every file system takes."""

import os

from django.core.files.storage import FileSystemStorage

# Bytes, not characters: ext4 allows 255 bytes, and 60 four-byte characters
# are already 240. Room is left for the suffix Django adds on a clash.
MAX_NAME_BYTES = 120


class MediaStorage(FileSystemStorage):
    def get_valid_name(self, name: str) -> str:
        stem, extension = os.path.splitext(super().get_valid_name(name))
        extension = extension[:10]
        cut = stem.encode()[: MAX_NAME_BYTES - len(extension.encode())]
        return (cut.decode("utf-8", errors="ignore") or "tep") + extension
