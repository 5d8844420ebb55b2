"""The SOC API: token check, finmark calls, finmark errors as HTTP statuses."""

import functools
import hmac
from typing import Any, Callable, Dict

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

import finmark

from .engine import get_engine

#: HTTP status of each finmark error code; anything else is a server error.
STATUS = {
    "INVALID_EVENT": 400,
    "INVALID_RULE": 400,
    "INVALID_QUERY": 400,
    "NOT_FOUND": 404,
    "PERMISSION_DENIED": 403,
    "CONFLICT": 409,
    "RATE_LIMITED": 429,
}

#: Query parameters that are not field equalities.
QUERY_PARAMS = ("since", "until", "limit", "cursor")

View = Callable[..., JsonResponse]


def api(*methods: str) -> Callable[[View], View]:
    """Wraps a view: allowed methods, `Authorization: Token ...` check, finmark errors as JSON."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def handle(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
            if request.method not in methods:
                return JsonResponse({"error": f"use {' or '.join(methods)}"}, status=405)
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            expected = settings.FINMARK_API_TOKEN
            if scheme != "Token" or not hmac.compare_digest(token.encode(), expected.encode()):
                return JsonResponse({"error": "missing or wrong API token"}, status=401)
            try:
                return view(request, *args, **kwargs)
            except finmark.FinmarkError as e:
                return JsonResponse({"error": str(e), "code": e.code}, status=STATUS.get(e.code, 500))
            except ValueError as e:
                return JsonResponse({"error": str(e)}, status=400)

        return handle

    return wrap


def query_args(request: HttpRequest) -> Dict[str, Any]:
    """`since`, `until` and `limit` from the query string, and the other parameters as field
    equalities (`?user.name=alice`)."""
    params = request.GET
    args: Dict[str, Any] = {"since": params.get("since"), "until": params.get("until")}
    if "limit" in params:
        args["limit"] = int(params["limit"])
    args["where"] = {k: v for k, v in params.items() if k not in QUERY_PARAMS}
    return args


def jsonable(value: Any) -> Any:
    """Result dicts with their datetimes as RFC 3339 text."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@api("GET", "POST")
def events(request: HttpRequest) -> JsonResponse:
    """POST: ingest the body (JSON object, array or NDJSON). GET: a page of stored events."""
    engine = get_engine()
    if request.method == "POST":
        return JsonResponse(jsonable(engine.ingest_json(request.body).to_dict()))
    page = engine.events(cursor=request.GET.get("cursor"), **query_args(request))
    return JsonResponse(jsonable(page.to_dict()))


@api("GET")
def detections(request: HttpRequest) -> JsonResponse:
    """Stored detections, newest first, filtered by rule_id, severity, level or event_id."""
    found = get_engine().detections(**query_args(request))
    return JsonResponse({"detections": jsonable(found.to_dicts())})


@api("GET")
def counts(request: HttpRequest, field: str) -> JsonResponse:
    """How many events have each value of `field`."""
    found = get_engine().count_by(field, **query_args(request))
    return JsonResponse({"field": field, "counts": jsonable(found.to_dicts())})
