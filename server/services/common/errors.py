"""Errors the services raise; ``server.web.errors`` turns each into the one JSON envelope."""


class ServiceError(Exception):
    code = 400

    def __init__(
        self,
        message: str,
        errors: dict | None = None,
        headers: dict | None = None,
        details: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        # More members of the envelope, such as the current version with a 412.
        self.details = details or {}


class Unauthorized(ServiceError):
    code = 401


class Forbidden(ServiceError):
    code = 403

    def __init__(self, message: str = "Your role does not allow this."):
        super().__init__(message)


class NotFound(ServiceError):
    code = 404

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class Conflict(ServiceError):
    code = 409


class Gone(ServiceError):
    code = 410


class PreconditionFailed(ServiceError):
    code = 412


class PreconditionRequired(ServiceError):
    code = 428


class TooManyRequests(ServiceError):
    code = 429

    def __init__(self, retry_after: int):
        super().__init__(
            "Too many failed attempts. Try again later.",
            headers={"Retry-After": str(max(1, retry_after))},
        )


def _as_messages(errors):
    """A field's errors as a list of messages, or as nested errors per item or key."""
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, dict):
        return errors
    return list(errors)


class Invalid(ServiceError):
    """Input that is well-formed but breaks a rule: 422 with errors per field."""

    code = 422

    def __init__(self, field_errors: dict[str, list[str] | str], message: str | None = None):
        normalised = {
            field: [errs]
            if isinstance(errs, str)
            else errs
            if isinstance(errs, dict)
            else list(errs)
            for field, errs in field_errors.items()
        }
        # Services know no HTTP: the errors name the fields, and the error handler files
        # them under the request's part they came from (the body, else the query string).
        self.field_errors = normalised
        super().__init__(message or "Invalid input.", errors={"json": normalised})
