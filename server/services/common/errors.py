"""Errors the services raise. Each names what went wrong and carries plain facts (how long
to wait, the version stored now); ``server.web.errors`` decides the status and headers that
tell them, and puts them in the one JSON envelope."""


class ServiceError(Exception):
    def __init__(self, message: str, field_errors: dict | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        # The errors per field of the input, if the error is about some. Services know no
        # HTTP: the errors name the fields, and the error handler files them under the
        # request's part they came from (the body, else the query string).
        self.field_errors = field_errors
        # More members of the envelope, such as the current version with a 412.
        self.details = details or {}


class Unauthorized(ServiceError):
    """Who is calling is not known, or not any more."""


class Forbidden(ServiceError):
    def __init__(self, message: str = "Your role does not allow this."):
        super().__init__(message)


class NotFound(ServiceError):
    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class Conflict(ServiceError):
    """The change disagrees with what is stored."""


class Gone(ServiceError):
    """The thing existed and is no more."""


class PreconditionFailed(ServiceError):
    """The caller changed a version it read, and the record has moved on since."""

    def __init__(self, message: str, current_etag: str | None = None):
        super().__init__(message)
        # The version the record has now, for the caller to read again and retry with.
        self.current_etag = current_etag


class PreconditionRequired(ServiceError):
    """A change that must name the version it was made from did not."""


class TooManyRequests(ServiceError):
    def __init__(self, retry_after: int):
        super().__init__("Too many failed attempts. Try again later.")
        # Seconds until an attempt may be made again.
        self.retry_after = max(1, retry_after)


class Invalid(ServiceError):
    """Input that is well-formed but breaks a rule, with errors per field."""

    def __init__(self, field_errors: dict[str, list[str] | str], message: str | None = None):
        normalised = {
            field: [errs]
            if isinstance(errs, str)
            else errs
            if isinstance(errs, dict)
            else list(errs)
            for field, errs in field_errors.items()
        }
        super().__init__(message or "Invalid input.", normalised)
