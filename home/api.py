"""The KPI figures of the home dashboards as an API, under /api/kpis/.

The same definitions (``crm.kpis``' registry, ``home.kpis``) and the same
visibility as the home pages: a manager reads their own figures, a regional
manager their region's managers, an admin every region. Someone else's manager
is 404; a role without figures (or a page that is another role's) is 403.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core import months as month_tools
from core.api.schema import error
from crm import kpis
from crm.access import leads_region, sees_all, user_scope, works_customers
from crm.models import Region, User
from home import kpis as boards

# Serializers: what the answers hold (the schema's source) ------------------------------


class FigureSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The figure's key, e.g. coverage, plan_done.")
    label = serializers.CharField()
    unit = serializers.ChoiceField(
        choices=["percent", "index", "rate"],
        help_text="percent and rate: value in per cent; index: 0-100.",
    )
    done = serializers.DecimalField(max_digits=20, decimal_places=2)
    total = serializers.IntegerField()
    value = serializers.FloatField(
        allow_null=True, help_text="Empty when there is nothing to judge by (no rows)."
    )


class GroupFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    figures = FigureSerializer(many=True)


class TrendPointSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    value = serializers.FloatField(allow_null=True)


class TrendSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    points = TrendPointSerializer(many=True)


class KpiBoardSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["manager", "region", "all"])
    date = serializers.DateField()
    figures = FigureSerializer(many=True, help_text="The whole of the scope.")
    rows = GroupFiguresSerializer(
        many=True, help_text="Per manager (a region's board) or per region (all)."
    )
    trends = TrendSerializer(many=True)


class ExitRateSerializer(serializers.Serializer):
    grade = serializers.CharField(help_text="Grade code; empty on the row of all grades.")
    name = serializers.CharField()
    exits = serializers.IntegerField()
    customers = serializers.IntegerField(help_text="In the network at some time this year.")
    rate = serializers.FloatField(allow_null=True, help_text="Per cent.")
    limit = serializers.FloatField(help_text="The yearly rate to stay below, per cent.")
    over_limit = serializers.BooleanField()


class ExitRatesSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    grades = ExitRateSerializer(many=True)


class RegionQuerySerializer(serializers.Serializer):
    region = serializers.RegexField(
        r"^[0-9]{1,18}$",
        required=False,
        error_messages={"invalid": "Give a region id (digits)."},
    )


# Building the answers from the registry ---------------------------------------------


def _figures(per_kpi, group_id):
    rows = []
    for kpi in kpis.all_kpis():
        ratio = per_kpi[kpi.name].get(group_id) or kpis.Ratio()
        rows.append(_figure(kpi, ratio))
    return rows


def _figure(kpi, ratio):
    return {
        "name": kpi.name,
        "label": str(kpi.label),
        "unit": kpi.unit,
        "done": ratio.done,
        "total": ratio.total,
        "value": boards.value_of(kpi, ratio),
    }


def _totals(per_kpi):
    result = []
    for kpi in kpis.all_kpis():
        total = sum(per_kpi[kpi.name].values(), kpis.Ratio())
        result.append(_figure(kpi, total))
    return result


def _trends(by, ids, today, *, whole_archive=False):
    months = boards.trend_months(today)
    result = []
    for trend in kpis.all_trends():

        def whole(trend=trend):
            per_group = trend.series(by, ids, months)
            return boards.sum_series(per_group.values(), months, trend.unit)

        if whole_archive:
            values = boards.whole_archive(f"api-trend:{trend.name}:{today}:{ids}", whole)
        else:
            values = whole()
        result.append(
            {
                "name": trend.name,
                "label": str(trend.label),
                "unit": trend.unit,
                "points": [
                    {
                        "month": month_tools.month_key(month),
                        "value": boards.trend_number(values.get(month)),
                    }
                    for month in months
                ],
            }
        )
    return result


def board_for(user, today):
    """The caller's board as data: their figures, the rows below them, the trends."""
    if works_customers(user):
        per_kpi = kpis.figures("manager", [user.pk], today)
        return {
            "scope": "manager",
            "date": today,
            "figures": _figures(per_kpi, user.pk),
            "rows": [],
            "trends": _trends("manager", [user.pk], today),
        }
    if leads_region(user) and user.region_id:
        groups = boards.region_managers(user.region)
        by, scope, trend_ids = "manager", "region", [user.region_id]
    elif sees_all(user):
        groups = list(Region.objects.order_by("code"))
        by, scope, trend_ids = "region", "all", [group.pk for group in groups]
    else:
        raise PermissionDenied
    ids = [group.pk for group in groups]
    if by == "region":
        per_kpi = boards.whole_archive(
            f"figures:{today}:{ids}", lambda: kpis.figures(by, ids, today)
        )
    else:
        per_kpi = kpis.figures(by, ids, today)
    return {
        "scope": scope,
        "date": today,
        "figures": _totals(per_kpi),
        "rows": [
            {"id": group.pk, "name": str(group), "figures": _figures(per_kpi, group.pk)}
            for group in groups
        ],
        "trends": _trends("region", trend_ids, today, whole_archive=scope == "all"),
    }


# Views ------------------------------------------------------------------------------


class KpiBoardView(APIView):
    """The caller's dashboard: a manager's own figures; a regional manager's region
    with each manager; an admin's whole archive with each region. Each figure is
    ``done`` of ``total`` (definitions: ``GET /api/kpis/`` ``figures[].name``, see
    ARCHITECTURE.md "KPIs")."""

    @extend_schema(responses=KpiBoardSerializer)
    def get(self, request):
        board = board_for(request.user, timezone.localdate())
        return Response(KpiBoardSerializer(board).data)


class KpiManagerView(APIView):
    """One manager's figures: the manager themself, their regional manager, an admin."""

    @extend_schema(responses=GroupFiguresSerializer)
    def get(self, request, pk):
        if not (works_customers(request.user) or leads_region(request.user)) and not sees_all(
            request.user
        ):
            raise PermissionDenied
        managers = user_scope(request.user, User.objects.filter(role=User.Role.MANAGER))
        if works_customers(request.user):
            managers = managers.filter(pk=request.user.pk)
        manager = get_object_or_404(managers, pk=pk)
        per_kpi = kpis.figures("manager", [manager.pk], timezone.localdate())
        return Response(
            GroupFiguresSerializer(
                {"id": manager.pk, "name": str(manager), "figures": _figures(per_kpi, manager.pk)}
            ).data
        )


class KpiExitRatesView(APIView):
    """This year's network exit rate by grade against the line it must stay below
    (3.5% a year, 2% for the best grades): an admin for all regions or ``region``,
    a regional manager for their own region."""

    @extend_schema(
        parameters=[OpenApiParameter("region", {"type": "string", "pattern": "^[0-9]{1,18}$"})],
        responses={
            200: ExitRatesSerializer,
            404: error("No such region, or not one the user may see."),
        },
    )
    def get(self, request):
        query = RegionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request.user
        region_ids = None
        if sees_all(user):
            if "region" in query.validated_data:
                region = Region.objects.filter(pk=int(query.validated_data["region"])).first()
                if region is None:
                    raise Http404
                region_ids = [region.pk]
        elif leads_region(user) and user.region_id:
            wanted = query.validated_data.get("region")
            if wanted is not None and int(wanted) != user.region_id:
                raise Http404
            region_ids = [user.region_id]
        else:
            raise PermissionDenied
        today = timezone.localdate()
        rows = kpis.exit_rates_by_grade(today, region_ids=region_ids)
        return Response(
            ExitRatesSerializer(
                {
                    "year": today.year,
                    "grades": [
                        {
                            "grade": row.code,
                            "name": row.name,
                            "exits": row.ratio.done,
                            "customers": row.ratio.total,
                            "rate": None
                            if row.ratio.share is None
                            else round(row.ratio.share * 100, 2),
                            "limit": float(row.limit * 100),
                            "over_limit": row.over_limit,
                        }
                        for row in rows
                    ],
                }
            ).data
        )
