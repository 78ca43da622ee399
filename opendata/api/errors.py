"""The API answers in JSON whatever goes wrong: a bad parameter (400), an unknown record or
address (404), too many requests (429), a method it does not take (405)."""

from django.http import JsonResponse
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, with one shape for every error: ``detail``, and for invalid parameters
    ``errors`` by parameter."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": "Invalid parameters.", "errors": response.data}
    return response


def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint."""
    return JsonResponse(
        {"detail": "No such endpoint. The API's endpoints are listed in its schema."},
        status=404,
    )
