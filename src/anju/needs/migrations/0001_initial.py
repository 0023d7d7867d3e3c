"""Needs move from ``clients`` into their own app without touching the database.

The tables keep their names (``clients_need``, ``clients_historicalneed`` and the place tables), so
only Django's idea of which app owns them changes: the models are created here in state only, the
foreign keys to them are pointed here (``clients`` 0004, ``matching`` 0004), and ``clients`` then
forgets its copy. The content types follow, so admin log entries and permissions keep their model.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ("need", "historicalneed")


def _relabel(apps, schema_editor, *, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    rows = content_type.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        # A database that already has the new label (created after the move) keeps it.
        if not rows.filter(app_label=new, model=model).exists():
            rows.filter(app_label=old, model=model).update(app_label=new)
    content_type.objects.clear_cache()


def content_types_to_needs(apps, schema_editor):
    _relabel(apps, schema_editor, old="clients", new="needs")


def content_types_to_clients(apps, schema_editor):
    _relabel(apps, schema_editor, old="needs", new="clients")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("clients", "0003_need_buyer_means"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("geo", "0002_amenity_building_communityalias_school_and_more"),
        ("listings", "0003_search_indexes"),
        ("org", "0002_company_daily_claim_limit_company_listing_fresh_days_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalNeed",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                db_index=True,
                                default=django.utils.timezone.now,
                                editable=False,
                                verbose_name="创建时间",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("buy", "购房"),
                                    ("rent", "租房"),
                                    ("sell", "售房"),
                                    ("let", "出租"),
                                ],
                                max_length=10,
                                verbose_name="类型",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("active", "进行中"),
                                    ("paused", "暂停"),
                                    ("fulfilled", "已成交"),
                                    ("given_up", "已放弃"),
                                ],
                                default="active",
                                max_length=10,
                                verbose_name="状态",
                            ),
                        ),
                        (
                            "budget_min",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="预算下限（元）",
                            ),
                        ),
                        (
                            "budget_max",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="预算上限（元）",
                            ),
                        ),
                        (
                            "rooms_min",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最少几室"),
                        ),
                        (
                            "rooms_max",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最多几室"),
                        ),
                        (
                            "halls_min",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最少几厅"),
                        ),
                        (
                            "baths_min",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最少几卫"),
                        ),
                        (
                            "area_min",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=8,
                                null=True,
                                verbose_name="面积下限（㎡）",
                            ),
                        ),
                        (
                            "area_max",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=8,
                                null=True,
                                verbose_name="面积上限（㎡）",
                            ),
                        ),
                        ("school_required", models.BooleanField(default=False, verbose_name="需要学区")),
                        (
                            "school_level",
                            models.CharField(
                                blank=True,
                                help_text="primary 小学 / middle 初中",
                                max_length=20,
                                verbose_name="学段",
                            ),
                        ),
                        (
                            "purpose",
                            models.CharField(
                                blank=True,
                                choices=[("own", "自住"), ("invest", "投资")],
                                max_length=10,
                                verbose_name="用途",
                            ),
                        ),
                        ("first_home", models.BooleanField(blank=True, null=True, verbose_name="首套")),
                        (
                            "payment",
                            models.CharField(
                                blank=True,
                                choices=[("loan", "贷款"), ("full", "全款")],
                                max_length=10,
                                verbose_name="付款方式",
                            ),
                        ),
                        (
                            "down_payment_cash",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="可用于首付的资金（元）",
                            ),
                        ),
                        (
                            "monthly_income",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="家庭月收入（元）",
                            ),
                        ),
                        (
                            "monthly_debts",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="每月其他还款（元）",
                            ),
                        ),
                        (
                            "floor_min",
                            models.SmallIntegerField(blank=True, null=True, verbose_name="最低楼层"),
                        ),
                        (
                            "floor_max",
                            models.SmallIntegerField(blank=True, null=True, verbose_name="最高楼层"),
                        ),
                        (
                            "orientations",
                            models.JSONField(blank=True, default=list, verbose_name="可接受朝向"),
                        ),
                        ("elevator_required", models.BooleanField(default=False, verbose_name="需要电梯")),
                        (
                            "build_year_min",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="最早建成年份"
                            ),
                        ),
                        ("must_haves", models.TextField(blank=True, verbose_name="必须满足")),
                        ("nice_to_haves", models.TextField(blank=True, verbose_name="最好满足")),
                        ("move_in_on", models.DateField(blank=True, null=True, verbose_name="入住日期")),
                        (
                            "lease_months",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="租期（月）"
                            ),
                        ),
                        (
                            "expected_price",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="心理价位（元）",
                            ),
                        ),
                        ("reason", models.CharField(blank=True, max_length=200, verbose_name="原因")),
                        ("condition", models.TextField(blank=True, verbose_name="房屋情况")),
                        (
                            "earliest_handover_on",
                            models.DateField(blank=True, null=True, verbose_name="最早交房日期"),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "agent",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="org.agent",
                                verbose_name="录入经纪人",
                            ),
                        ),
                        (
                            "client",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="clients.client",
                                verbose_name="客户",
                            ),
                        ),
                        (
                            "company",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="org.company",
                                verbose_name="公司",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "property",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="listings.property",
                                verbose_name="房屋",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical 需求",
                        "verbose_name_plural": "historical 需求",
                        "db_table": "clients_historicalneed",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Need",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                db_index=True,
                                default=django.utils.timezone.now,
                                editable=False,
                                verbose_name="创建时间",
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False, verbose_name="更新时间"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("buy", "购房"),
                                    ("rent", "租房"),
                                    ("sell", "售房"),
                                    ("let", "出租"),
                                ],
                                max_length=10,
                                verbose_name="类型",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("active", "进行中"),
                                    ("paused", "暂停"),
                                    ("fulfilled", "已成交"),
                                    ("given_up", "已放弃"),
                                ],
                                default="active",
                                max_length=10,
                                verbose_name="状态",
                            ),
                        ),
                        (
                            "budget_min",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="预算下限（元）",
                            ),
                        ),
                        (
                            "budget_max",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="预算上限（元）",
                            ),
                        ),
                        (
                            "rooms_min",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最少几室"),
                        ),
                        (
                            "rooms_max",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最多几室"),
                        ),
                        (
                            "halls_min",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最少几厅"),
                        ),
                        (
                            "baths_min",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="最少几卫"),
                        ),
                        (
                            "area_min",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=8,
                                null=True,
                                verbose_name="面积下限（㎡）",
                            ),
                        ),
                        (
                            "area_max",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=8,
                                null=True,
                                verbose_name="面积上限（㎡）",
                            ),
                        ),
                        ("school_required", models.BooleanField(default=False, verbose_name="需要学区")),
                        (
                            "school_level",
                            models.CharField(
                                blank=True,
                                help_text="primary 小学 / middle 初中",
                                max_length=20,
                                verbose_name="学段",
                            ),
                        ),
                        (
                            "purpose",
                            models.CharField(
                                blank=True,
                                choices=[("own", "自住"), ("invest", "投资")],
                                max_length=10,
                                verbose_name="用途",
                            ),
                        ),
                        ("first_home", models.BooleanField(blank=True, null=True, verbose_name="首套")),
                        (
                            "payment",
                            models.CharField(
                                blank=True,
                                choices=[("loan", "贷款"), ("full", "全款")],
                                max_length=10,
                                verbose_name="付款方式",
                            ),
                        ),
                        (
                            "down_payment_cash",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="可用于首付的资金（元）",
                            ),
                        ),
                        (
                            "monthly_income",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="家庭月收入（元）",
                            ),
                        ),
                        (
                            "monthly_debts",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="每月其他还款（元）",
                            ),
                        ),
                        (
                            "floor_min",
                            models.SmallIntegerField(blank=True, null=True, verbose_name="最低楼层"),
                        ),
                        (
                            "floor_max",
                            models.SmallIntegerField(blank=True, null=True, verbose_name="最高楼层"),
                        ),
                        (
                            "orientations",
                            models.JSONField(blank=True, default=list, verbose_name="可接受朝向"),
                        ),
                        ("elevator_required", models.BooleanField(default=False, verbose_name="需要电梯")),
                        (
                            "build_year_min",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="最早建成年份"
                            ),
                        ),
                        ("must_haves", models.TextField(blank=True, verbose_name="必须满足")),
                        ("nice_to_haves", models.TextField(blank=True, verbose_name="最好满足")),
                        ("move_in_on", models.DateField(blank=True, null=True, verbose_name="入住日期")),
                        (
                            "lease_months",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="租期（月）"
                            ),
                        ),
                        (
                            "expected_price",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="心理价位（元）",
                            ),
                        ),
                        ("reason", models.CharField(blank=True, max_length=200, verbose_name="原因")),
                        ("condition", models.TextField(blank=True, verbose_name="房屋情况")),
                        (
                            "earliest_handover_on",
                            models.DateField(blank=True, null=True, verbose_name="最早交房日期"),
                        ),
                        (
                            "agent",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="org.agent",
                                verbose_name="录入经纪人",
                            ),
                        ),
                        (
                            "business_areas",
                            models.ManyToManyField(
                                blank=True, related_name="+", to="geo.businessarea", verbose_name="意向板块"
                            ),
                        ),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="needs",
                                to="clients.client",
                                verbose_name="客户",
                            ),
                        ),
                        (
                            "communities",
                            models.ManyToManyField(
                                blank=True, related_name="+", to="geo.community", verbose_name="意向小区"
                            ),
                        ),
                        (
                            "company",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="org.company",
                                verbose_name="公司",
                            ),
                        ),
                        (
                            "districts",
                            models.ManyToManyField(
                                blank=True, related_name="+", to="geo.district", verbose_name="意向区县"
                            ),
                        ),
                        (
                            "property",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="needs",
                                to="listings.property",
                                verbose_name="房屋",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "需求",
                        "verbose_name_plural": "需求",
                        "db_table": "clients_need",
                        "indexes": [
                            models.Index(fields=["company", "kind", "status"], name="need_kind_status")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("budget_min__isnull", True),
                                    ("budget_max__isnull", True),
                                    ("budget_min__lte", models.F("budget_max")),
                                    _connector="OR",
                                ),
                                name="need_budget_range",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("area_min__isnull", True),
                                    ("area_max__isnull", True),
                                    ("area_min__lte", models.F("area_max")),
                                    _connector="OR",
                                ),
                                name="need_area_range",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("rooms_min__isnull", True),
                                    ("rooms_max__isnull", True),
                                    ("rooms_min__lte", models.F("rooms_max")),
                                    _connector="OR",
                                ),
                                name="need_rooms_range",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("kind__in", ["sell", "let"]), _negated=True),
                                    ("property__isnull", False),
                                    _connector="OR",
                                ),
                                name="need_sell_let_has_property",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("down_payment_cash__isnull", True),
                                        ("down_payment_cash__gte", 0),
                                        _connector="OR",
                                    ),
                                    models.Q(
                                        ("monthly_income__isnull", True),
                                        ("monthly_income__gte", 0),
                                        _connector="OR",
                                    ),
                                    models.Q(
                                        ("monthly_debts__isnull", True),
                                        ("monthly_debts__gte", 0),
                                        _connector="OR",
                                    ),
                                ),
                                name="need_means_not_negative",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_needs, content_types_to_clients, elidable=False),
    ]
