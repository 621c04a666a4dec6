"""What an API view reads from a request body, checked by a serializer."""


def validated(serializer_class, request, **kwargs):
    """The body checked by ``serializer_class`` (with the request in its context), or a 400
    with each field's messages (``core.api.exceptions``)."""
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
