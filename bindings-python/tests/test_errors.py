"""The exception hierarchy: one class per core ErrorKind, each with its code."""

from __future__ import annotations

import pickle

import pytest

import finmark

KINDS = {
    finmark.InvalidEventError: "INVALID_EVENT",
    finmark.InvalidRuleError: "INVALID_RULE",
    finmark.InvalidQueryError: "INVALID_QUERY",
    finmark.NotFoundError: "NOT_FOUND",
    finmark.PermissionDeniedError: "PERMISSION_DENIED",
    finmark.ConflictError: "CONFLICT",
    finmark.RateLimitedError: "RATE_LIMITED",
    finmark.StorageError: "STORAGE",
    finmark.IntegrityError: "INTEGRITY",
    finmark.InternalError: "INTERNAL",
}


def test_one_subclass_per_kind_with_its_code() -> None:
    assert issubclass(finmark.FinmarkError, Exception)
    for cls, code in KINDS.items():
        assert issubclass(cls, finmark.FinmarkError)
        assert cls.code == code
        assert cls("message").code == code
        assert cls.__module__ == "finmark"
    assert len({cls.code for cls in KINDS}) == len(KINDS)


def test_raised_errors_are_caught_as_finmark_error() -> None:
    with pytest.raises(finmark.FinmarkError) as info:
        finmark.Engine("gopher://x")
    assert type(info.value) is finmark.InvalidQueryError
    assert info.value.code == "INVALID_QUERY"
    assert "gopher" in str(info.value)


def test_errors_pickle_by_their_public_name() -> None:
    error = finmark.StorageError("storage is closed")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is finmark.StorageError and str(again) == "storage is closed"


def test_wrong_python_types_raise_type_error() -> None:
    rules = finmark.RuleSet.from_yaml("title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: 1\n  condition: s\n")
    with pytest.raises(TypeError):
        rules.match_ndjson(12)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rules.match(None)  # type: ignore[arg-type]
