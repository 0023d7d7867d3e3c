"""Processing a deal (交易办理) from the signed contract to the keys and after: the milestone plan
(全程跟踪) with its problems (突发问题), the handover checklist (物业交割) and keys, and the
after-sales visits (售后回访). The money held for a deal is the deal's own ledger (``deals``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.core.models import BaseModel, CompanyScopedModel


class Party(models.TextChoices):
    """Who is responsible for a milestone."""

    AGENT = "agent", _("经纪人")
    SPECIALIST = "specialist", _("交易专员")
    BUYER = "buyer", _("买方")
    SELLER = "seller", _("卖方")


class PaymentWhen(models.TextChoices):
    ANY = "", _("不限")
    FULL = "full", _("全款")
    LOAN = "loan", _("贷款（商贷/公积金/组合）")


class MilestoneTemplate(CompanyScopedModel):
    """One step of the company's plans (公司设置: 办理流程模板); a deal's plan takes the steps whose
    conditions fit it, in ``position`` order."""

    name = models.CharField(_("名称"), max_length=60)
    position = models.PositiveSmallIntegerField(_("顺序"))
    days = models.PositiveSmallIntegerField(_("工作日"), help_text=_("上一节点（或签约日）之后的工作日数"))
    responsible = models.CharField(_("负责人"), max_length=12, choices=Party.choices)
    deal_kind = models.CharField(
        _("交易类型"),
        max_length=10,
        blank=True,
        choices=[("", _("不限")), ("sale", _("买卖")), ("lease", _("租赁"))],
    )
    payment = models.CharField(_("付款方式"), max_length=10, blank=True, choices=PaymentWhen.choices)
    escrow = models.BooleanField(_("资金监管"), null=True, blank=True, help_text=_("空：不限"))
    mortgage = models.BooleanField(_("卖方需解押"), null=True, blank=True, help_text=_("空：不限"))

    class Meta:
        verbose_name = _("办理流程模板")
        verbose_name_plural = _("办理流程模板")
        ordering = ["company_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class HandoverTemplate(CompanyScopedModel):
    """A handover item every deal of the company gets (公司设置: 交接项目)."""

    name = models.CharField(_("名称"), max_length=40)
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("交接项目模板")
        verbose_name_plural = _("交接项目模板")
        ordering = ["company_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ProcessingSettings(CompanyScopedModel):
    """The company's after-sales setting: visits so many days after the handover."""

    visit_days = models.CharField(
        _("回访天数"), max_length=40, default="7,30", help_text=_("交房后第几天回访，逗号分隔")
    )

    class Meta:
        verbose_name = _("售后设置")
        verbose_name_plural = _("售后设置")
        constraints = [models.UniqueConstraint(fields=["company"], name="processing_settings_once")]

    def __str__(self) -> str:
        return self.visit_days


class Plan(BaseModel):
    """A deal's milestone plan, made when the contract is signed, chosen by the deal's type."""

    deal = models.OneToOneField(
        "deals.Deal", on_delete=models.CASCADE, related_name="plan", verbose_name=_("交易")
    )
    payment = models.CharField(_("付款方式"), max_length=12, blank=True)
    escrow = models.BooleanField(_("资金监管"), default=True)
    mortgage = models.BooleanField(_("卖方需解押"), default=False)
    signed_on = models.DateField(_("签约日期"))
    specialist = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("交易专员"),
    )

    class Meta:
        verbose_name = _("办理计划")
        verbose_name_plural = _("办理计划")

    def __str__(self) -> str:
        return f"{self.deal_id}"


class Milestone(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("计划")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("名称"), max_length=60)
    days = models.PositiveSmallIntegerField(_("工作日"))
    responsible = models.CharField(_("负责人"), max_length=12, choices=Party.choices)
    # The staff member responsible (the agent or the specialist); empty when a party is.
    agent = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责员工"),
    )
    due_on = models.DateField(_("计划完成"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )

    class Meta:
        verbose_name = _("办理节点")
        verbose_name_plural = _("办理节点")
        ordering = ["plan_id", "position", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"], name="milestone_open_due")]

    def __str__(self) -> str:
        return self.name


class Problem(BaseModel):
    """A problem on a milestone (突发问题), tracked to its solution; an open one blocks the milestone."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="problems", verbose_name=_("节点")
    )
    text = models.CharField(_("问题"), max_length=300)
    owner = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("负责人")
    )
    due_on = models.DateField(_("解决期限"))
    solved_on = models.DateField(_("解决日期"), null=True, blank=True)
    solution = models.CharField(_("解决办法"), max_length=300, blank=True)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))

    class Meta:
        verbose_name = _("突发问题")
        verbose_name_plural = _("突发问题")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class Handover(BaseModel):
    """The handover's keys and both sides' confirmation that the flat matches the contract."""

    deal = models.OneToOneField(
        "deals.Deal", on_delete=models.CASCADE, related_name="handover", verbose_name=_("交易")
    )
    keys_count = models.PositiveSmallIntegerField(_("钥匙数量"), default=0)
    key_kinds = models.CharField(
        _("钥匙种类"), max_length=120, blank=True, help_text=_("如：入户门、单元门、信箱")
    )
    buyer_confirmed = models.BooleanField(_("买方确认房屋与合同相符"), default=False)
    seller_confirmed = models.BooleanField(_("卖方确认房屋与合同相符"), default=False)
    handed_over_on = models.DateField(_("交房日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("房屋交接")
        verbose_name_plural = _("房屋交接")

    def __str__(self) -> str:
        return f"{self.deal_id}"


class HandoverItem(models.Model):
    """One item of the handover checklist: meter reading, amount settled, account transferred."""

    deal = models.ForeignKey(
        "deals.Deal", on_delete=models.CASCADE, related_name="handover_items", verbose_name=_("交易")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("名称"), max_length=40)
    reading = models.CharField(_("读数"), max_length=40, blank=True)
    amount_settled = models.DecimalField(
        _("结清金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    account_transferred = models.BooleanField(_("已过户"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    waived_reason = models.CharField(_("免除原因"), max_length=200, blank=True)
    waived_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("免除人"),
    )

    class Meta:
        verbose_name = _("交接项目")
        verbose_name_plural = _("交接项目")
        ordering = ["deal_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(waived_by__isnull=True) | ~models.Q(waived_reason=""),
                name="handover_waive_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.done_on is None and self.waived_by_id is None


class Visit(BaseModel):
    """An after-sales visit (售后回访) due on a day, on the owning agent's workbench until recorded."""

    deal = models.ForeignKey(
        "deals.Deal", on_delete=models.CASCADE, related_name="visits", verbose_name=_("交易")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("回访人")
    )
    days = models.PositiveSmallIntegerField(_("交房后天数"))
    due_on = models.DateField(_("回访日期"))
    done_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    remarks = models.CharField(_("回访记录"), max_length=300, blank=True)
    problem = models.CharField(_("遗留问题"), max_length=300, blank=True)
    problem_solved_at = models.DateTimeField(_("问题解决时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("售后回访")
        verbose_name_plural = _("售后回访")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="visit_satisfaction_range",
            ),
            models.UniqueConstraint(fields=["deal", "days"], name="visit_once_per_day_count"),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id} +{self.days}"


class BankPapers(CompanyScopedModel):
    """The papers a bank asks a borrower for (公司设置: 银行贷款资料清单), one per line."""

    bank = models.CharField(_("银行"), max_length=60)
    papers = models.TextField(_("所需资料"), help_text=_("每行一项"))

    class Meta:
        verbose_name = _("银行贷款资料清单")
        verbose_name_plural = _("银行贷款资料清单")
        constraints = [models.UniqueConstraint(fields=["company", "bank"], name="bank_papers_once")]

    def __str__(self) -> str:
        return self.bank


class Loan(BaseModel):
    """The buyer's loan (贷款协助): bank, kind, amount and rate as the mortgage calculator had them,
    the 面签 appointment, approval and disbursement."""

    deal = models.OneToOneField(
        "deals.Deal", on_delete=models.CASCADE, related_name="loan", verbose_name=_("交易")
    )
    bank = models.CharField(_("银行"), max_length=60)
    kind = models.CharField(_("贷款类型"), max_length=12)
    amount = models.DecimalField(_("贷款金额（元）"), max_digits=14, decimal_places=2)
    rate = models.DecimalField(_("年利率"), max_digits=8, decimal_places=6)
    years = models.PositiveSmallIntegerField(_("年限"))
    monthly = models.DecimalField(_("月供（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    interview_at = models.DateTimeField(_("面签时间"), null=True, blank=True)
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    disbursed_on = models.DateField(_("放款日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("贷款")
        verbose_name_plural = _("贷款")

    def __str__(self) -> str:
        return f"{self.bank} {self.amount}"


class LoanPaper(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="papers", verbose_name=_("贷款"))
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("资料"), max_length=80)
    received_on = models.DateField(_("收齐日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("贷款资料")
        verbose_name_plural = _("贷款资料")
        ordering = ["loan_id", "position"]

    def __str__(self) -> str:
        return self.name


class TaxRecord(BaseModel):
    """The transaction costs as calculated for the deal as of the expected transfer date, kept with
    the rules that priced them; never recomputed silently."""

    deal = models.ForeignKey(
        "deals.Deal", on_delete=models.CASCADE, related_name="tax_records", verbose_name=_("交易")
    )
    as_of = models.DateField(_("预计过户日期"))
    facts = models.JSONField(_("计算依据"))
    items = models.JSONField(_("税费明细"))
    buyer_total = models.DecimalField(_("买方合计（元）"), max_digits=14, decimal_places=2)
    seller_total = models.DecimalField(_("卖方合计（元）"), max_digits=14, decimal_places=2)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("计算人"))

    class Meta:
        verbose_name = _("税费核算")
        verbose_name_plural = _("税费核算")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.deal_id} {self.as_of}"


class TaxPayment(BaseModel):
    """What one side paid of the costs, with its receipt."""

    deal = models.ForeignKey(
        "deals.Deal", on_delete=models.CASCADE, related_name="tax_payments", verbose_name=_("交易")
    )
    side = models.CharField(_("缴纳方"), max_length=10, choices=[("buyer", _("买方")), ("seller", _("卖方"))])
    item = models.CharField(_("项目"), max_length=60)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("缴纳日期"))
    receipt = models.CharField(_("票据号"), max_length=60, blank=True)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人"))

    class Meta:
        verbose_name = _("税费缴纳")
        verbose_name_plural = _("税费缴纳")
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="tax_payment_positive")]

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"
