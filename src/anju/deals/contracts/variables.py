"""The placeholders a contract template may use, each with the Chinese name template authors see.

A template naming anything else is refused at upload (the deal could never fill it), so this
table is the whole vocabulary between a company's Word templates and Anju.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class TemplateKind(models.TextChoices):
    RESALE = "resale", _("存量房买卖合同")
    NEW_HOME = "new_home", _("商品房买卖合同")
    LEASE = "lease", _("房屋租赁合同")


CONTRACT_VARIABLES: dict[str, str | Promise] = {
    "contract_number": _("合同编号"),
    "deal_number": _("交易编号"),
    "agency_name": _("经纪机构"),
    "agent_name": _("经纪人"),
    "seller_name": _("出卖人/出租人"),
    "buyer_name": _("买受人/承租人"),
    "address": _("房屋坐落"),
    "certificate_number": _("不动产权证号"),
    "area": _("建筑面积"),
    "mortgage_status": _("抵押情况"),
    "seizure_status": _("查封情况"),
    "price": _("成交价（小写）"),
    "price_in_capitals": _("成交价（大写）"),
    "payment_method": _("付款方式"),
    "payment_schedule": _("付款安排"),
    "earnest": _("定金/意向金（小写）"),
    "earnest_in_capitals": _("定金/意向金（大写）"),
    "handover_date": _("交房日期"),
    "breach_liability": _("违约责任"),
    "lease_months": _("租期（月）"),
    "deposit_months": _("押（月）"),
    "pay_months": _("付（月）"),
    "generated_date": _("生成日期"),
}
