"""Tool errors. A ``ToolError`` is recoverable: its message goes back to the model (or the user) as is."""

from __future__ import annotations


class ToolError(Exception):
    """A problem the caller can act on: unknown account, ambiguous name, bad argument."""

    def __init__(self, message: str, *, suggestions: list[str] | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []
        self.code = code

    def as_dict(self) -> dict[str, object]:
        return {"error": self.message, "code": self.code, "suggestions": self.suggestions}


class NotFound(ToolError):
    """Something that does not exist, or that the acting user may not see (the two look the same)."""

    def __init__(self, message: str, *, suggestions: list[str] | None = None) -> None:
        super().__init__(message, suggestions=suggestions, code="not_found")


class Ambiguous(ToolError):
    """A reference that matches several things equally well: the caller should ask which one."""

    def __init__(self, message: str, *, suggestions: list[str] | None = None) -> None:
        super().__init__(message, suggestions=suggestions, code="ambiguous")
