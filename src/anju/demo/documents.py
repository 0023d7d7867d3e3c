"""Documents for the demo's deals (资料归档): a contract as a tiny PDF written byte by byte, a
handover photo as a JPEG drawn with Pillow, and for some deals a receipt — all stored through the
archive's upload service, so they carry real sizes and SHA-256 hashes and download like any other."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

from anju.archive.models import DocumentKind
from anju.archive.services import document_upload
from anju.deals.models import Deal, DealStage

# The stages in which a deal has papers worth keeping (an offer being haggled over has none yet).
WITH_PAPERS = (DealStage.INTENT, DealStage.CONTRACT, DealStage.PROCESSING, DealStage.CLOSED)


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF showing ``title`` (ASCII), its cross-reference offsets counted here."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 40 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def tiny_jpeg(rng: random.Random | None = None, *, size: tuple[int, int] = (320, 240)) -> bytes:
    """A small photo of a flat's door with its keys on a table, in a random light."""
    rng = rng or random.Random(0)
    wall = tuple(rng.randint(214, 244) for _ in range(3))
    image = Image.new("RGB", size, wall)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([width // 3, height // 6, width // 3 + width // 4, height - 30], fill=(140, 100, 70))
    draw.rectangle([0, height - 40, width, height], fill=(170, 130, 90))
    for i in range(rng.randint(1, 3)):
        x = width // 2 + 20 * i
        draw.ellipse([x, height - 34, x + 12, height - 22], outline=(200, 170, 40), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def demo_documents(*, company_id: int, seed: int | str, most: int = 40) -> int:
    """Give up to ``most`` of the company's deals past the haggling their papers; the count added."""
    rng = random.Random(f"{seed}:documents")
    deals = Deal.objects.filter(company_id=company_id, stage__in=WITH_PAPERS).select_related("agent")
    added = 0
    for deal in deals.order_by("pk")[:most]:
        number = deal.number or str(deal.pk)
        papers = [
            (DocumentKind.CONTRACT, f"{number}-contract.pdf", tiny_pdf(f"Contract {number}")),
            (DocumentKind.HANDOVER_PHOTO, f"{number}-keys.jpg", tiny_jpeg(rng)),
        ]
        if rng.random() < 0.5:
            papers.append((DocumentKind.RECEIPT, f"{number}-receipt.pdf", tiny_pdf(f"Receipt {number}")))
        for kind, name, data in papers:
            document_upload(deal=deal, by=deal.agent, file=io.BytesIO(data), name=name, kind=kind)
            added += 1
    return added
