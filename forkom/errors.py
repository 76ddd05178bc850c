import logging

from django.core.exceptions import BadRequest


class DomainError(Exception):
    """A rule of the domain said no. The message is shown to the user as it is.

    `status` is the HTTP answer a view gives (forkom.http.act): by default 409, the thing
    has moved on or was already done; the subclasses below say when it is something else.
    """

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MayNot(DomainError):
    """The actor holds no role that allows this here."""

    status = 403


class BadInput(DomainError):
    """Something the actor gave is missing or refused (a note, a file)."""

    status = 400


class AlreadyDone(DomainError):
    """The same form (its one-time key) already did this: a double tap. Views answer as the
    first post was answered (forkom.http.act shows the message as a success)."""

    status = 200


class UnreadableRequest(BadRequest):
    """The request itself cannot be read the way the portal reads every request (a NUL
    character, a character set other than UTF-8). Django answers it through handler400 with
    the 400 page, which shows `message`; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ExpectedRefusalsWithoutTraceback(logging.Filter):
    """Django logs a BadRequest it answers with the exception's traceback: for an
    UnreadableRequest, a refusal the portal expects every day, the reason and the path are
    enough (the django.request logger, forkom.settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], UnreadableRequest):
            record.exc_info = None
        return True
