"""Where uploaded files go: generated names only, so nothing of the user's file
name reaches the disk."""

import uuid

from django.utils.deconstruct import deconstructible


@deconstructible
class GeneratedName:
    """``upload_to`` that stores a file as ``<folder>/<random>.<extension>``."""

    def __init__(self, folder, extension=None):
        self.folder = folder
        self.extension = extension

    def __call__(self, instance, filename):
        extension = self.extension
        if extension is None:
            extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
            extension = "".join(ch for ch in extension if ch.isalnum())[:5] or "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return (
            isinstance(other, GeneratedName)
            and self.folder == other.folder
            and self.extension == other.extension
        )
