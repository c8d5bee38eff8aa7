"""CPython stand-ins for the Transcrypt built-ins the tag uses, so its modules import in tests.

Transcrypt turns `__new__(C(args))` into `new C(args)` and `__typeof__(x)` into `typeof x`;
modules import these between skip pragmas, so they never reach the bundle.
"""


def __new__(instance):
    return instance


def __typeof__(value):
    """JS typeof for the values fakes hand the tag (None stands for undefined and null alike)."""
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "undefined"
    return "function" if callable(value) else "object"
