import logging
import time

logger = logging.getLogger("participation.requests")


class RequestLogMiddleware:
    """One line per request: method, path, status and duration. No query string, address or user: no personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={"status_code": response.status_code, "duration_ms": round(duration_ms, 1)},
        )
        return response
