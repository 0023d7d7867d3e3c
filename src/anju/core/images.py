"""Uploaded images, one way for every app: the check of an upload and the small copy that is served.

An upload is accepted only when Pillow reads it as a real JPEG, PNG or WebP image of a sensible size:
not over ``MAX_UPLOAD_BYTES``, no side over ``MAX_IMAGE_SIDE`` and no more than ``MAX_IMAGE_PIXELS``
(a small file that claims huge dimensions, an image bomb, is refused before its pixels are decoded),
and its pixels decode (a truncated or corrupt file is refused). Anything else is a Chinese refusal
(``ApplicationError``) and nothing is stored. The caller stores the bytes under a random name with the
extension of the real format, never the uploaded name.

The original stays as uploaded, for signed-in staff. What leaves the agency (a shared listing, an
agent's public card) is always the small copy: re-encoded as a JPEG no larger than ``THUMB_SIDE``,
turned the way the camera's EXIF says and without the EXIF itself (no camera, no place, no time), made
on first request and kept beside the original. Listing photos (``listings``) and agents' photos
(``org``) both go through here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from anju.core.errors import ApplicationError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 10_000
MAX_IMAGE_PIXELS = 50_000_000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# What a stored image is served as, by its extension.
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
THUMB_SIDE = 640


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    extension: str  # of the real format: "jpg", "png" or "webp"
    width: int
    height: int


def image_check(file: IO[bytes]) -> CheckedImage:
    """The upload's bytes, the extension of its real format and its size, or a Chinese refusal."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_big()
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_big()
    not_an_image = ApplicationError(
        _("上传的文件不是有效的图片，请上传 JPG、PNG 或 WebP 格式的照片。"), code="not_an_image"
    )
    if not data:
        raise not_an_image
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            probe.verify()
        if image_format not in IMAGE_FORMATS:
            raise not_an_image
        if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
            raise ApplicationError(
                _("图片尺寸过大（%(w)s×%(h)s），长边不能超过 %(max)s 像素。")
                % {"w": width, "h": height, "max": MAX_IMAGE_SIDE},
                code="image_too_large",
            )
        # verify() checks the structure; decoding the pixels catches truncated files too.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except ApplicationError:
        raise
    except Image.DecompressionBombError as exc:  # so many pixels that Pillow will not even open it
        raise ApplicationError(
            _("图片尺寸过大，长边不能超过 %(max)s 像素。") % {"max": MAX_IMAGE_SIDE}, code="image_too_large"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise not_an_image from exc
    return CheckedImage(data=data, extension=IMAGE_FORMATS[image_format], width=width, height=height)


def _too_big() -> ApplicationError:
    return ApplicationError(
        _("图片不能超过 %(mb)s MB。") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}, code="image_too_big"
    )


def thumbnail_name(name: str) -> str:
    """Where the small copy of a stored image is kept."""
    return f"{name.rsplit('.', 1)[0]}.thumb.jpg"


def thumbnail(storage: Storage, name: str) -> str:
    """The small copy of a stored image (see the module's docstring), made once; its name."""
    thumb = thumbnail_name(name)
    if not storage.exists(thumb):
        with storage.open(name, "rb") as original, Image.open(original) as image:
            small = ImageOps.exif_transpose(image) or image
            small.thumbnail((THUMB_SIDE, THUMB_SIDE))
            buffer = io.BytesIO()
            small.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True)
        storage.save(thumb, ContentFile(buffer.getvalue()))
    return thumb


def image_content_type(name: str) -> str:
    return IMAGE_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
