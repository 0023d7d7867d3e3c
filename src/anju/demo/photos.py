"""Listing photos for the demo, drawn here: rooms in a few palettes and a floor plan, as small JPEGs.

No picture is downloaded. A handful of pictures is drawn once per run (drawing and encoding is
the slow part) and each listing gets its own files of them, as an upload would.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw

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


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()
