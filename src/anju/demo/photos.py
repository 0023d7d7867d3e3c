"""Listing photos for the demo, drawn here: rooms in a few palettes and a floor plan, as small JPEGs;
and the agents' photos for their card pages (名片页): a coloured square with the first character of
the name, in whichever CJK font Pillow finds on the machine, or a head-and-shoulders outline without one.

No picture is downloaded. A handful of pictures is drawn once per run (drawing and encoding is
the slow part) and each listing gets its own files of them, as an upload would.
"""

from __future__ import annotations

import functools
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

SIZE = (480, 360)
ROOMS = ("客厅", "主卧", "次卧", "厨房", "卫生间")
# (wall, floor, furniture): the light walls and wooden or tiled floors of Wuhan flats
PALETTES = (
    ((236, 232, 222), (176, 132, 92), (92, 104, 120)),
    ((244, 240, 232), (200, 196, 188), (150, 110, 80)),
    ((226, 234, 238), (160, 120, 84), (210, 205, 195)),
    ((240, 228, 210), (188, 150, 110), (70, 90, 80)),
)


@dataclass(frozen=True)
class Picture:
    kind: str  # MediaKind: "photo" or "floor_plan"
    caption: str
    data: bytes


def draw_room(rng: random.Random, caption: str) -> Picture:
    wall, floor, furniture = rng.choice(PALETTES)
    width, height = SIZE
    image = Image.new("RGB", SIZE, wall)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.58, 0.68))
    draw.polygon([(0, height), (width, height), (width - 60, horizon), (60, horizon)], fill=floor)
    draw.line([(60, horizon), (60, 0)], fill=tuple(c - 18 for c in wall), width=2)
    draw.line([(width - 60, horizon), (width - 60, 0)], fill=tuple(c - 18 for c in wall), width=2)
    left = rng.randint(110, 230)
    draw.rectangle(
        [left, 50, left + 150, horizon - 60], fill=(190, 222, 244), outline=(250, 250, 250), width=6
    )
    draw.line([(left + 75, 50), (left + 75, horizon - 60)], fill=(250, 250, 250), width=4)
    base = rng.randint(70, 200)
    draw.rectangle([base, horizon - 20, base + 170, horizon + 40], fill=furniture)
    return Picture(kind="photo", caption=caption, data=_jpeg(image))


def draw_floor_plan(rng: random.Random) -> Picture:
    width, height = SIZE
    image = Image.new("RGB", SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle([30, 30, width - 30, height - 30], outline=(40, 40, 40), width=6)
    split_x = rng.randint(180, 300)
    split_y = rng.randint(150, 210)
    draw.line([(split_x, 30), (split_x, height - 30)], fill=(40, 40, 40), width=4)
    draw.line([(30, split_y), (split_x, split_y)], fill=(40, 40, 40), width=4)
    draw.line([(split_x, split_y + 40), (width - 30, split_y + 40)], fill=(40, 40, 40), width=4)
    draw.rectangle([split_x + 2, 34, width - 34, split_y + 38], fill=(232, 240, 250))
    return Picture(kind="floor_plan", caption="户型图", data=_jpeg(image))


def draw_pictures(rng: random.Random, per_room: int = 2) -> list[Picture]:
    """The demo's pictures: each room in ``per_room`` looks, then three floor plans."""
    pictures = [draw_room(rng, room) for room in ROOMS for _ in range(per_room)]
    return pictures + [draw_floor_plan(rng) for _ in range(3)]


PORTRAIT_SIZE = (320, 320)
# Backgrounds a studio portrait might have: blues, a green, a warm grey, a wine red.
PORTRAIT_COLOURS = (
    (37, 99, 165),
    (22, 120, 140),
    (58, 122, 84),
    (120, 110, 100),
    (150, 52, 66),
    (70, 80, 140),
)
# Fonts with Chinese characters, by file name as Pillow looks them up in the system's font folders
# (Linux, Windows, macOS): the first one found draws the names.
CJK_FONTS = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
    "msyh.ttc",
    "simhei.ttf",
    "PingFang.ttc",
    "STHeiti Medium.ttc",
)


@functools.cache
def cjk_font(size: int) -> ImageFont.FreeTypeFont | None:
    for name in CJK_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return None


def draw_portrait(rng: random.Random, name: str) -> bytes:
    """An agent's photo: the first character of ``name`` on a coloured square (an outline of head
    and shoulders where no CJK font is found)."""
    width, height = PORTRAIT_SIZE
    image = Image.new("RGB", PORTRAIT_SIZE, rng.choice(PORTRAIT_COLOURS))
    draw = ImageDraw.Draw(image)
    font = cjk_font(180)
    if font is not None and name:
        draw.text((width / 2, height / 2), name[:1], font=font, fill=(255, 255, 255), anchor="mm")
    else:
        light = (235, 238, 242)
        draw.ellipse([width * 0.33, height * 0.16, width * 0.67, height * 0.50], fill=light)
        draw.ellipse([width * 0.15, height * 0.56, width * 0.85, height * 1.25], fill=light)
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()
