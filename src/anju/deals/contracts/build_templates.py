"""Builds the three default contract templates shipped with Anju, byte for byte the same every time.

    python -m anju.deals.contracts.build_templates

The headings follow the common municipal 存量房买卖合同示范文本, the 商品房买卖合同示范文本 and the
usual 房屋租赁合同; each contract ends with the risk notices for both sides (风险提示). Companies
download a default, edit it in Word and upload their own version; the placeholders are the names
in ``variables.py``. A test checks that the files in the repository equal a fresh build.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

DEFAULTS_DIR = Path(__file__).parent / "data"  # packaged with anju (package-data)
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Source:
    title: str
    parties: list[str]
    articles: list[tuple[str, list[str]]]
    signatures: list[str]


PARTIES = [
    "合同编号：{{ contract_number }}　　交易编号：{{ deal_number }}",
    "出卖人（甲方）：{{ seller_name }}",
    "买受人（乙方）：{{ buyer_name }}",
    "居间方（经纪机构）：{{ agency_name }}　　经纪人：{{ agent_name }}",
]

RISKS_BUYER = [
    "一、签约前请核实出卖人身份及不动产权证原件，确认房屋无查封，抵押须在过户前解除。",
    "二、请按合同约定的时间足额付款；贷款审批结果以银行为准，贷款不足部分须以自有资金补足。",
    "三、定金、房款建议通过资金监管账户支付，不要直接转入个人账户。",
    "四、交房时请当场核对房屋状况、附属设施及水电燃气物业费用结清情况。",
]
RISKS_SELLER = [
    "一、请确认您是房屋的合法权利人，共有人须一并签字或出具经公证的授权委托书。",
    "二、房屋存在抵押、查封、租赁等情况的，须如实告知买方；隐瞒的，须承担违约及赔偿责任。",
    "三、收到定金或房款后无正当理由拒绝出售的，须按约定双倍返还定金并承担违约责任。",
    "四、请在约定日期前腾空房屋、结清费用并迁出户口，按时交付房屋。",
]

RESALE = Source(
    title="存量房买卖合同",
    parties=PARTIES,
    articles=[
        (
            "第一条　房屋基本情况",
            [
                "房屋坐落：{{ address }}",
                "不动产权证号：{{ certificate_number }}",
                "建筑面积：{{ area }}",
            ],
        ),
        ("第二条　房屋权属状况", ["抵押情况：{{ mortgage_status }}", "查封情况：{{ seizure_status }}"]),
        ("第三条　成交价格", ["成交价格为人民币（小写）{{ price }}，（大写）{{ price_in_capitals }}。"]),
        (
            "第四条　付款方式及期限",
            ["付款方式：{{ payment_method }}", "付款安排：{{ payment_schedule }}"],
        ),
        (
            "第五条　定金",
            [
                "乙方已支付定金/意向金（小写）{{ earnest }}，（大写）{{ earnest_in_capitals }}，签约后转为房款。"
            ],
        ),
        ("第六条　房屋交付", ["甲方应于{{ handover_date }}前将房屋交付乙方，双方共同签署房屋交接单。"]),
        ("第七条　税费承担", ["交易税费按国家及本市规定由甲、乙双方各自承担，另有约定的从其约定。"]),
        ("第八条　权属转移登记", ["双方应在乙方付清首付款后共同向不动产登记机构申请办理转移登记。"]),
        ("第九条　违约责任", ["{{ breach_liability }}"]),
        (
            "第十条　争议解决",
            ["因本合同发生争议的，双方协商解决；协商不成的，依法向房屋所在地人民法院起诉。"],
        ),
        ("第十一条　附则", ["本合同一式三份，甲、乙、居间方各执一份，自各方签字（盖章）之日起生效。"]),
    ],
    signatures=[
        "出卖人（甲方）签字：",
        "买受人（乙方）签字：",
        "居间方（盖章）：",
        "日期：{{ generated_date }}",
    ],
)

NEW_HOME = Source(
    title="商品房买卖合同",
    parties=[line.replace("出卖人（甲方）", "出卖人（开发企业）") for line in PARTIES],
    articles=[
        ("第一章　合同当事人", ["出卖人与买受人依法订立本合同，经纪机构提供居间服务。"]),
        (
            "第二章　商品房基本状况",
            [
                "房屋坐落：{{ address }}",
                "不动产权证号/预售许可证号：{{ certificate_number }}",
                "建筑面积：{{ area }}",
                "抵押情况：{{ mortgage_status }}；查封情况：{{ seizure_status }}",
            ],
        ),
        ("第三章　商品房价款", ["总价款为人民币（小写）{{ price }}，（大写）{{ price_in_capitals }}。"]),
        ("第四章　付款方式及期限", ["付款方式：{{ payment_method }}", "付款安排：{{ payment_schedule }}"]),
        ("第五章　商品房交付条件与交付手续", ["出卖人应于{{ handover_date }}前将商品房交付买受人。"]),
        ("第六章　面积差异处理方式", ["实测面积与约定面积误差比绝对值在3%以内的，据实结算房价款。"]),
        ("第七章　违约责任", ["{{ breach_liability }}"]),
        (
            "第八章　争议解决",
            ["因本合同发生争议的，双方协商解决；协商不成的，依法向房屋所在地人民法院起诉。"],
        ),
    ],
    signatures=["出卖人（盖章）：", "买受人（签字）：", "居间方（盖章）：", "日期：{{ generated_date }}"],
)

LEASE = Source(
    title="房屋租赁合同",
    parties=[
        "合同编号：{{ contract_number }}　　交易编号：{{ deal_number }}",
        "出租人（甲方）：{{ seller_name }}",
        "承租人（乙方）：{{ buyer_name }}",
        "居间方（经纪机构）：{{ agency_name }}　　经纪人：{{ agent_name }}",
    ],
    articles=[
        (
            "第一条　房屋基本情况",
            [
                "房屋坐落：{{ address }}",
                "不动产权证号：{{ certificate_number }}",
                "建筑面积：{{ area }}",
                "抵押情况：{{ mortgage_status }}；查封情况：{{ seizure_status }}",
            ],
        ),
        ("第二条　租赁期限", ["租期{{ lease_months }}个月，甲方应于{{ handover_date }}将房屋交付乙方。"]),
        (
            "第三条　租金及支付方式",
            [
                "月租金为人民币（小写）{{ price }}，（大写）{{ price_in_capitals }}。",
                "押{{ deposit_months }}付{{ pay_months }}；付款方式：{{ payment_method }}",
                "付款安排：{{ payment_schedule }}",
            ],
        ),
        ("第四条　房屋维修与使用", ["乙方应合理使用房屋；房屋及附属设施的自然损坏由甲方负责维修。"]),
        ("第五条　违约责任", ["{{ breach_liability }}"]),
        (
            "第六条　争议解决",
            ["因本合同发生争议的，双方协商解决；协商不成的，依法向房屋所在地人民法院起诉。"],
        ),
    ],
    signatures=[
        "出租人（甲方）签字：",
        "承租人（乙方）签字：",
        "居间方（盖章）：",
        "日期：{{ generated_date }}",
    ],
)

LEASE_RISKS_BUYER = [
    "一、请核实出租人身份及房屋权属证明，转租的须取得房屋所有权人的书面同意。",
    "二、押金、租金请凭收据支付，不要提前支付超过约定期数的租金。",
]
LEASE_RISKS_SELLER = [
    "一、请核实承租人身份，按规定办理租赁登记备案。",
    "二、房屋存在抵押、查封的，须如实告知承租人。",
]

TEMPLATES = {
    "resale": (RESALE, RISKS_BUYER, RISKS_SELLER, ("买方风险提示", "卖方风险提示")),
    "new_home": (NEW_HOME, RISKS_BUYER, RISKS_SELLER, ("买方风险提示", "卖方风险提示")),
    "lease": (LEASE, LEASE_RISKS_BUYER, LEASE_RISKS_SELLER, ("承租方风险提示", "出租方风险提示")),
}


def build(kind: str) -> bytes:
    """One default template as .docx bytes, always the same bytes for the same source."""
    content, risks_buyer, risks_seller, (buyer_heading, seller_heading) = TEMPLATES[kind]
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(content.title)
    run.bold, run.font.size = True, Pt(18)
    for line in content.parties:
        document.add_paragraph(line)
    for heading, lines in content.articles:
        document.add_paragraph().add_run(heading).bold = True
        for line in lines:
            document.add_paragraph(line)
    notice = document.add_paragraph()
    notice.alignment = WD_ALIGN_PARAGRAPH.CENTER
    notice.add_run("风险提示").bold = True
    for heading, lines in ((buyer_heading, risks_buyer), (seller_heading, risks_seller)):
        document.add_paragraph().add_run(heading).bold = True
        for line in lines:
            document.add_paragraph(line)
    for line in content.signatures:
        document.add_paragraph(line)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = content.title, "Anju", "Anju"
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_fixed_times(buffer.getvalue())


def _with_fixed_times(data: bytes) -> bytes:
    """The same zip with every entry dated the same, so a rebuild changes no byte."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def default_path(kind: str) -> Path:
    return DEFAULTS_DIR / f"{kind}.docx"


def main() -> None:
    DEFAULTS_DIR.mkdir(exist_ok=True)
    for kind in TEMPLATES:
        default_path(kind).write_bytes(build(kind))
        print(default_path(kind).name)


if __name__ == "__main__":
    main()
