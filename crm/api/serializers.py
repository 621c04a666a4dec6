from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.business_dates import BusinessDateSerializerField, PastDateSerializerField
from core.models import CalendarDay
from core.transitions import allowed
from crm import access, services, workflows
from crm.access import sees_all
from crm.models import Contact, Customer, Grade, Region, SalesRecord, User


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name"]


class GradeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grade
        fields = ["id", *services.GRADE_FIELDS]


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    # Admins belong to no region.
    region = RegionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "email", "role", "role_display", "region"]


class UserSerializer(serializers.ModelSerializer):
    """Admins manage users; the password is write-only and validated."""

    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), allow_null=True, required=False
    )
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "region",
            "is_active",
            "password",
        ]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": [_("This field is required.")]})
        return attrs

    def create(self, validated_data):
        password = validated_data.pop("password")
        return services.user_create(
            actor=self.context["request"].user, data=validated_data, password=password
        )

    def update(self, instance, validated_data):
        password = validated_data.pop("password", None)
        return services.user_update(
            user=instance,
            actor=self.context["request"].user,
            data=validated_data,
            password=password,
        )


class UserCreateSerializer(UserSerializer):
    """A new user: the password is required (the schema said it was optional)."""

    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class ContactSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)

    class Meta:
        model = Contact
        fields = ["id", "name", "role", "phone", "notes"]


class CustomerSerializer(serializers.ModelSerializer):
    """A customer as everyone reads it. Writes go through the create/update serializers."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # An unassigned customer has no manager; a new one no grade yet.
    manager = UserSummarySerializer(read_only=True, allow_null=True)
    grade = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    contacts = ContactSerializer(many=True, read_only=True)
    # Declared so the schema allows the blank value of a customer that is no key account.
    key_account_class = serializers.ChoiceField(
        choices=Customer.KeyAccountClass.choices, allow_blank=True, read_only=True
    )
    network_steps = serializers.SerializerMethodField(
        help_text="The network-status steps the requesting user may take now: exit, rejoin "
        "(each is a POST action: /exit/, /rejoin/)."
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            "code",
            "name",
            "licence_number",
            "customer_type",
            "key_account_class",
            "address",
            "region",
            "manager",
            "assigned_at",
            "grade",
            "economic_nature",
            "business_scale",
            "network_scope",
            "main_business_performance",
            "credit_standing",
            "operator_background",
            "operator_birthday",
            "company_anniversary",
            "network_status",
            "joined_on",
            "exited_on",
            "exit_reason",
            "latitude",
            "longitude",
            "network_steps",
            "contacts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_network_steps(self, customer) -> list[str]:
        # The table's answer, the same the customer page shows its buttons from.
        return list(
            allowed(
                workflows.NETWORK_TRANSITIONS,
                self.context["request"].user,
                customer,
                field=workflows.NETWORK_FIELD,
            )
        )


class CustomerUpdateSerializer(serializers.ModelSerializer):
    """The fields a customer's manager may change: identity, profile, contacts.

    Assignment, region, grade and network status are not fields here: posting
    them changes nothing. They have their own actions, with history.
    """

    # Birthdays and founding days lie before the business range (1900 to today).
    operator_birthday = PastDateSerializerField(allow_null=True, required=False)
    company_anniversary = PastDateSerializerField(allow_null=True, required=False)
    contacts = ContactSerializer(many=True, required=False)

    class Meta:
        model = Customer
        fields = [*services.PROFILE_FIELDS, "contacts"]
        # Uniqueness and cross-field rules are checked by the service's full_clean.
        extra_kwargs = {"licence_number": {"validators": []}}

    def update(self, instance, validated_data):
        contacts = validated_data.pop("contacts", None)
        return services.customer_update(
            customer=instance,
            actor=self.context["request"].user,
            data=validated_data,
            contacts=contacts,
        )

    def to_representation(self, instance):
        return CustomerSerializer(instance, context=self.context).data


class CustomerCreateSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False
    )
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=User.Role.MANAGER), allow_null=True, required=False
    )
    grade = serializers.SlugRelatedField(
        slug_field="code", queryset=Grade.objects.all(), allow_null=True, required=False
    )
    # Birthdays and founding days lie before the business range (1900 to today).
    operator_birthday = PastDateSerializerField(allow_null=True, required=False)
    company_anniversary = PastDateSerializerField(allow_null=True, required=False)
    contacts = ContactSerializer(many=True, required=False)

    class Meta:
        model = Customer
        fields = [
            "code",
            *services.PROFILE_FIELDS,
            "region",
            "manager",
            "grade",
            "joined_on",
            "contacts",
        ]
        extra_kwargs = {"code": {"validators": []}, "licence_number": {"validators": []}}

    def validate(self, attrs):
        user = self.context["request"].user
        if not sees_all(user):
            attrs["region"] = user.region
        elif not attrs.get("region"):
            raise serializers.ValidationError({"region": [_("This field is required.")]})
        manager = attrs.get("manager")
        if manager is not None and not access.user_scope(user).filter(pk=manager.pk).exists():
            raise serializers.ValidationError({"manager": [_("Choose a manager of your region.")]})
        return attrs

    def create(self, validated_data):
        contacts = validated_data.pop("contacts", [])
        return services.customer_create(
            actor=self.context["request"].user, data=validated_data, contacts=contacts
        )

    def to_representation(self, instance):
        return CustomerSerializer(instance, context=self.context).data


class ReassignSerializer(serializers.Serializer):
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=User.Role.MANAGER, is_active=True), allow_null=True
    )
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False
    )
    reason = serializers.CharField(max_length=300)


class GradeChangeSerializer(serializers.Serializer):
    grade = serializers.SlugRelatedField(slug_field="code", queryset=Grade.objects.all())
    reason = serializers.CharField(max_length=300)


class ExitSerializer(serializers.Serializer):
    exited_on = BusinessDateSerializerField()
    reason = serializers.CharField(max_length=300)


class RejoinSerializer(serializers.Serializer):
    joined_on = BusinessDateSerializerField()


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-09"})
class _MonthField(serializers.DateField):
    """A month as YYYY-MM (not a date)."""


class SalesRecordSerializer(serializers.ModelSerializer):
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    month = _MonthField(format="%Y-%m", read_only=True)

    class Meta:
        model = SalesRecord
        fields = [
            "id",
            "customer",
            "customer_code",
            "month",
            "quantity",
            "amount",
            "sales_quantity",
            "sales_amount",
        ]
        read_only_fields = fields


class SalesImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("CSV or XLSX with customer_code, month, quantity, amount")
    )


class SalesImportResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    row_count = serializers.IntegerField()
    months = serializers.CharField()


class SalesImportStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    status = serializers.CharField()
    rows_total = serializers.IntegerField()
    rows_checked = serializers.IntegerField()
    row_count = serializers.IntegerField(help_text=_("Rows imported (when done)."))
    months = serializers.CharField()
    error_count = serializers.IntegerField()
    errors = serializers.SerializerMethodField(
        help_text=_("The first bad rows; error_count says how many there are.")
    )
    imported_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    status_url = serializers.SerializerMethodField()

    def get_errors(self, batch) -> list[dict]:
        return [{"row": row, "message": message} for row, message in batch.errors]

    def get_status_url(self, batch) -> str:
        url = reverse("api_sales_import", args=[batch.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "date", "kind", "name"]


class WorkingDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working_day = serializers.BooleanField()
    next_working_day = serializers.DateField()
    plus_working_days = serializers.IntegerField()
    date_plus_working_days = serializers.DateField()
