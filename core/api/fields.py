"""Serializer fields shared by the apps' APIs."""

from django.urls import reverse
from rest_framework import serializers


class UserNameField(serializers.CharField):
    """A user's display name, from a relation; null when the relation is empty.

    ``CharField(source="decided_by.__str__")`` printed "<method-wrapper '__str__'
    of NoneType object ...>" for a violation nobody had decided yet: DRF walks the
    source through the None and stringifies the bound method it finds. Taking the
    user itself as the source lets the serializer see the None.
    """

    def __init__(self, *, nullable=True, **kwargs):
        super().__init__(read_only=True, allow_null=nullable, **kwargs)

    def to_representation(self, value):
        return str(value)


class ProtectedFileField(serializers.FileField):
    """A stored image as a link to the route that checks access and serves it.

    Media files are never served as such (config.urls has no ``/media/`` route,
    and with S3 no bucket address is given out): a signature is no one else's
    business. The
    browser pages link to views that first check the user may see the object;
    the API links to the same ones. Null when nothing is stored.

    ``url_args(instance)`` gives the route's arguments for the model instance
    the file belongs to.
    """

    def __init__(self, *, url_name, url_args, **kwargs):
        self.url_name = url_name
        self.url_args = url_args
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not value:
            return None
        url = reverse(self.url_name, args=self.url_args(value.instance))
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class EventSerializer(serializers.ModelSerializer):
    """A workflow's event rows. The first step comes from no status: its blank
    ``from_status`` is one of the documented values, not a breach of the enum."""

    def get_fields(self):
        fields = super().get_fields()
        for name in ("from_status", "to_status"):
            field = fields.get(name)
            if isinstance(field, serializers.ChoiceField):
                # Read-only fields lose allow_blank in DRF; the schema reads it.
                field.allow_blank = self.Meta.model._meta.get_field(name).blank
        return fields


class StrictBooleanField(serializers.BooleanField):
    """true or false, as a JSON body says them; not DRF's 0, 1, "yes", "on"…"""

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid", input=data)


class StrictCharField(serializers.CharField):
    """Text as a JSON body says it: a string, not DRF's number read as its text (for
    the items of a list, where the API fuzz's leniency for top-level text does not go)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
