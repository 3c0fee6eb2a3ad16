"""Exceptions and warnings shared by every layer of remarkit."""

from __future__ import annotations


class RemarkitError(Exception):
    """Base class of remarkit's own errors."""


class InputError(RemarkitError):
    """Bad user input: a file, row/column or spec field, and what is wrong with it.

    ``str(error)`` is a single line suitable for the command line.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | str | None = None,
        column: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.field = field
        super().__init__(self.format())

    def format(self) -> str:
        """Render ``file: row R, column C (field F): message`` with the parts that are known."""
        where: list[str] = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        prefix = self.file or ""
        loc = ", ".join(where)
        if prefix and loc:
            prefix = f"{prefix}: {loc}"
        elif loc:
            prefix = loc
        return f"{prefix}: {self.message}" if prefix else self.message


class InputErrors(RemarkitError):  # noqa: N818 - a collection of InputError
    """Several input problems found together; each is an :class:`InputError`."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.format() for e in errors))

    def as_one(self) -> InputError:
        """The problems as one InputError (``remarkit apply`` stops on a unit's first): the
        first three messages and how many more, located at the file they share, if any."""
        first = self.errors[0]
        if len(self.errors) == 1:
            return first
        files = {e.file for e in self.errors}
        shown = "; ".join(e.message for e in self.errors[:3])
        more = f" (and {len(self.errors) - 3} more)" if len(self.errors) > 3 else ""
        return InputError(
            f"{len(self.errors)} problems: {shown}{more}",
            file=first.file if len(files) == 1 else None,
        )


class StatisticsError(RemarkitError, ValueError):
    """Data that a statistical function cannot work on (NaN, a class with no cases, ...)."""


class RemarkitWarning(UserWarning):
    """A named warning raised by remarkit (separation, few events per variable, ...)."""
