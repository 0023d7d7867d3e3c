"""An agent's photo (名片页): set and removed on the settings page (a manager on the staff form),
checked as listing photos are; shown on the public card page as a small copy without the camera's
EXIF, reachable by anyone only while the agent still works for the agency; otherwise the card shows
the first character of the name."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from PIL import Image

from anju.core import images
from anju.org.models import Agent
from anju.referrals.services import agent_card_issue
from tests.conftest import login
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads of each test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(size: tuple[int, int] = (60, 40), *, exif: bool = False) -> bytes:
    """A JPEG as a phone's camera writes one: with ``exif``, the camera's make and 'turn it a quarter'."""
    image = Image.new("RGB", size, (30, 110, 200))
    tags = image.getexif()
    if exif:
        tags[0x010F] = "PhoneMaker"  # Make
        tags[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=tags.tobytes())
    return buffer.getvalue()


def photo(data: bytes | None = None, name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg() if data is None else data, content_type="image/jpeg")


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb's trick)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


def stored_files(media_root) -> list[str]:
    return (
        sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*.*")) if media_root.exists() else []
    )


def test_an_agent_sets_their_photo_on_the_settings_page_and_removes_it(
    web, agent, media_root, django_capture_on_commit_callbacks
):
    # given the settings page offers a photo upload a phone's camera can feed
    page = web.get("/settings/").content.decode()
    assert 'accept="image/*"' in page and 'enctype="multipart/form-data"' in page
    # when the agent uploads a photo from the camera
    response = web.post("/settings/photo/", {"photo": photo()}, follow=True)
    # then it is kept under a name of its own (not the phone's) and the page shows it
    agent.refresh_from_db()
    assert "照片已更新" in response.content.decode()
    assert agent.photo.name.startswith(f"agents/{agent.pk}/") and agent.photo.name.endswith(".jpg")
    assert "IMG_0001" not in agent.photo.name
    assert f"/agents/{agent.pk}/photo/?thumb=1&amp;v={agent.photo_version}" in response.content.decode()
    assert web.get(f"/agents/{agent.pk}/photo/?thumb=1").status_code == 200
    # when they remove it
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/settings/photo/remove/", follow=True)
    # then the files are gone and the page shows the initial again
    agent.refresh_from_db()
    assert not agent.photo
    assert stored_files(media_root) == []
    assert "名片页将显示姓名首字" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("这不是图片，是改了扩展名的文本文件。".encode(), "上传的文件不是有效的图片"),
        (b"\0" * (images.MAX_UPLOAD_BYTES + 1), "图片不能超过 10 MB"),
        (jpeg((400, 300))[:300], "上传的文件不是有效的图片"),  # a JPEG cut off halfway
        (png_claiming(10_001, 100), "图片尺寸过大（10001×100）"),
        (png_claiming(30_000, 30_000), "图片尺寸过大"),  # 900 million pixels in 70 bytes
    ],
    ids=["not-an-image", "too-large", "corrupt-jpeg", "too-wide", "image-bomb"],
)
def test_a_bad_file_is_refused_in_chinese_and_changes_nothing(
    web, agent, media_root, django_capture_on_commit_callbacks, data, message
):
    # given the agent has a photo
    web.post("/settings/photo/", {"photo": photo()})
    agent.refresh_from_db()
    before, files = agent.photo.name, stored_files(media_root)
    assert before
    # when they upload a bad file instead
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/settings/photo/", {"photo": photo(data)}, follow=True)
    # then they are told why, and the photo and the stored files are as they were
    assert message in response.content.decode()
    agent.refresh_from_db()
    assert agent.photo.name == before
    assert stored_files(media_root) == files


def test_a_new_photo_replaces_the_old_ones_files(web, agent, media_root, django_capture_on_commit_callbacks):
    web.post("/settings/photo/", {"photo": photo()})
    agent.refresh_from_db()
    old = agent.photo.name
    assert web.get(f"/agents/{agent.pk}/photo/?thumb=1").status_code == 200  # its small copy is made
    with django_capture_on_commit_callbacks(execute=True):
        web.post("/settings/photo/", {"photo": photo(jpeg((80, 80)))})
    agent.refresh_from_db()
    assert agent.photo.name != old
    assert stored_files(media_root) == [agent.photo.name]


def test_a_manager_sets_the_photo_of_an_agent_of_their_store_but_an_agent_not_of_a_colleague(
    manager, agent, colleague
):
    # when the store's manager uploads the agent's photo on the staff form
    page = login(manager).get(f"/settings/staff/{agent.pk}/").content.decode()
    assert f"/settings/staff/{agent.pk}/photo/" in page
    login(manager).post(f"/settings/staff/{agent.pk}/photo/", {"photo": photo()})
    # then the agent has it
    agent.refresh_from_db()
    assert agent.photo
    # while a plain agent may not set a colleague's
    refused = login(agent).post(f"/settings/staff/{colleague.pk}/photo/", {"photo": photo()})
    assert refused.status_code == 403
    colleague.refresh_from_db()
    assert not colleague.photo


def test_the_card_page_shows_the_photo_or_else_the_initial(agent, colleague):
    # given the agent has a photo and the colleague has none, and both have a card page
    login(agent).post("/settings/photo/", {"photo": photo()})
    agent.refresh_from_db()
    with_photo, without = agent_card_issue(agent=agent), agent_card_issue(agent=colleague)
    # when a visitor opens both
    shown = HttpClient().get(f"/c/{with_photo.slug}/").content.decode()
    plain = HttpClient().get(f"/c/{without.slug}/").content.decode()
    # then the agent's card shows the photo, the colleague's the first character of the name
    assert f'src="/c/{with_photo.slug}/photo/?v={agent.photo_version}"' in shown
    assert 'data-testid="agent-initial"' not in shown
    assert f'<meta property="og:image" content="http://testserver/c/{with_photo.slug}/photo/' in shown
    assert 'data-testid="agent-photo"' not in plain
    assert f'data-testid="agent-initial">{colleague.name[:1]}</div>' in plain
    assert f"/c/{without.slug}/photo/" not in plain


def test_the_public_photo_is_a_small_copy_without_the_cameras_exif(agent):
    # given the agent's photo came from a phone's camera, with its EXIF
    login(agent).post("/settings/photo/", {"photo": photo(jpeg((120, 60), exif=True))})
    card = agent_card_issue(agent=agent)
    # when a visitor's browser loads the card page's photo
    response = HttpClient().get(f"/c/{card.slug}/photo/")
    # then it is a JPEG turned upright, and the camera's tags are not in it
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert served.size == (60, 120)
    assert dict(served.getexif()) == {}


def test_the_photo_of_someone_who_left_is_not_found_while_a_current_ones_is(agent, colleague):
    # given two agents with photos and card pages
    for person in (agent, colleague):
        login(person).post("/settings/photo/", {"photo": photo()})
    card, other = agent_card_issue(agent=agent), agent_card_issue(agent=colleague)
    # when the colleague leaves
    Agent.objects.filter(pk=colleague.pk).update(is_active=False)
    # then a visitor gets the current agent's photo and not the former colleague's, nor their card
    visitor = HttpClient()
    assert visitor.get(f"/c/{card.slug}/photo/").status_code == 200
    assert visitor.get(f"/c/{other.slug}/photo/").status_code == 404
    assert visitor.get(f"/c/{other.slug}/").status_code == 404
    # and the signed-in URL is no way round it: anonymous visitors and other companies find nothing
    assert visitor.get(f"/agents/{agent.pk}/photo/").status_code == 404
    stranger = AgentFactory(name="外公司")
    assert login(stranger).get(f"/agents/{agent.pk}/photo/").status_code == 404
    assert login(agent).get(f"/agents/{agent.pk}/photo/").status_code == 200
