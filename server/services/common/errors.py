"""Errors the services raise. Each names what went wrong and carries plain facts (how long
to wait, the version stored now); ``server.web.errors`` decides the status and headers that
tell them, and puts them in the one JSON envelope."""

from shared.i18n import LazyText, lazy_gettext

ROLE_REFUSED = lazy_gettext("Your role does not allow this.")
NOT_FOUND = lazy_gettext("Not found.")


class ServiceError(Exception):
    """``message`` and the field errors are texts in the language of the moment
    (``gettext``), or lazy texts translated when the error is answered (``lazy_gettext``)."""

    def __init__(
        self, message: str | LazyText, field_errors: dict | None = None, details: dict | None = None
    ):
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
    """Its message is a lazy text, so the security event log keeps the English one."""

    def __init__(self, message: LazyText = ROLE_REFUSED):
        super().__init__(message)


class NotFound(ServiceError):
    def __init__(self, message: str | LazyText = NOT_FOUND):
        super().__init__(message)


class Conflict(ServiceError):
    """The change disagrees with what is stored."""


class Gone(ServiceError):
    """The thing existed and is no more."""


class PreconditionFailed(ServiceError):
    """The caller changed a version it read, and the record has moved on since."""

    def __init__(self, message: str | LazyText, current_etag: str | None = None):
        super().__init__(message)
        # The version the record has now, for the caller to read again and retry with.
        self.current_etag = current_etag


class PreconditionRequired(ServiceError):
    """A change that must name the version it was made from did not."""


class TooManyRequests(ServiceError):
    def __init__(self, retry_after: int):
        super().__init__(lazy_gettext("Too many failed attempts. Try again later."))
        # Seconds until an attempt may be made again.
        self.retry_after = max(1, retry_after)


class Invalid(ServiceError):
    """Input that is well-formed but breaks a rule, with errors per field."""

    def __init__(
        self, field_errors: dict[str, list[str] | str], message: str | LazyText | None = None
    ):
        normalised = {
            field: [errs]
            if isinstance(errs, str | LazyText)
            else errs
            if isinstance(errs, dict)
            else list(errs)
            for field, errs in field_errors.items()
        }
        super().__init__(message or lazy_gettext("Invalid input."), normalised)
