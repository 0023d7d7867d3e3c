"""The demo agency itself: 安居地产, three Wuhan stores and the people who log in.

``anju demo --companies N`` adds agencies that compete with it in the same city, in the same
database: the same stores and staff, each company's logins prefixed, its data seeded differently.
They exist to show (and test) that one database keeps several agencies apart (decision 0001).
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY_NAME = "安居地产"
COMPANY_SHORT_NAME = "安居"
COMPANY_CITY = "武汉"


@dataclass(frozen=True)
class CompanySpec:
    name: str
    short_name: str
    username_prefix: str  # the first company's logins have none: ``make run`` prints them as ever


COMPANIES: tuple[CompanySpec, ...] = (
    CompanySpec(COMPANY_NAME, COMPANY_SHORT_NAME, ""),
    CompanySpec("乐家房产", "乐家", "lejia_"),
    CompanySpec("鸿运置业", "鸿运", "hongyun_"),
    CompanySpec("福居地产", "福居", "fuju_"),
    CompanySpec("嘉和房产", "嘉和", "jiahe_"),
)

# One password for every demo login, printed at the end of ``anju demo``: the demo is for
# trying the system out, and a real agency creates its own accounts.
DEMO_PASSWORD = "anju2025"  # noqa: S105


@dataclass(frozen=True)
class StoreSpec:
    name: str
    area: str  # the 板块 it sits in; its agents mostly list communities nearby
    address: str
    phone: str


STORES: tuple[StoreSpec, ...] = (
    StoreSpec("光谷店", "光谷", "洪山区珞喻路光谷广场东侧", "027-87661234"),
    StoreSpec("后湖店", "后湖", "江岸区后湖大道与百步亭花园路交汇处", "027-82305678"),
    StoreSpec("中北路店", "中北路", "武昌区中北路与东湖路交汇处", "027-86779012"),
)


@dataclass(frozen=True)
class StaffSpec:
    username: str
    name: str
    role: str  # an ``anju.org.models.Role`` value
    store: str | None
    gender: str
    photo: bool = (
        True  # a photo on the card page (名片页); without one the card shows the name's first character
    )


STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("wanglei", "王磊", "manager", "光谷店", "m"),
    StaffSpec("lina", "李娜", "agent", "光谷店", "f"),
    StaffSpec("zhangwei", "张伟", "agent", "光谷店", "m"),
    StaffSpec("liuyang", "刘洋", "agent", "光谷店", "m"),
    StaffSpec("chenjing", "陈静", "manager", "后湖店", "f"),
    StaffSpec("yangfan", "杨帆", "agent", "后湖店", "m"),
    StaffSpec("huangli", "黄丽", "agent", "后湖店", "f"),
    StaffSpec("zhaoqiang", "赵强", "agent", "后湖店", "m"),
    StaffSpec("zhoumin", "周敏", "manager", "中北路店", "f"),
    StaffSpec("wuhao", "吴昊", "agent", "中北路店", "m"),
    StaffSpec("xuting", "徐婷", "agent", "中北路店", "f"),
    StaffSpec("sunhao", "孙浩", "agent", "中北路店", "m", photo=False),
    # The transaction specialist handles every store's deals but sits in the head store.
    StaffSpec("maxiaoyan", "马晓燕", "specialist", "中北路店", "f"),
    StaffSpec("hujianguo", "胡建国", "admin", None, "m"),
)

# Who takes listings and owns clients, and how much of the work each role does: a manager
# still sells, but less than the agents.
FIELD_ROLE_WEIGHTS = {"agent": 3, "manager": 1}
