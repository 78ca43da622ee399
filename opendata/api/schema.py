"""The schema's description of every operation's errors: each answers 404 when the record or page
does not exist and 429 past the client's limit; the search also 400 for an invalid parameter.
The errors all have the same JSON shape (``opendata.api.errors``)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .serializers import ErrorSerializer

ERRORS = {
    "400": "A parameter is invalid: the reason is given for each.",
    "404": "No such record, or no such page of results.",
    "429": "Too many requests from this client: try again after Retry-After seconds.",
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            bodies.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code
                ),
            )
        return bodies
