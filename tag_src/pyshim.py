"""CPython stand-ins for the Transcrypt built-ins the tag uses, so its modules import in tests.

Transcrypt turns `__new__(C(args))` into `new C(args)`; in CPython the fake constructor
call already builds the object. Modules import this between skip pragmas, so it never
reaches the bundle.
"""


def __new__(instance):
    return instance
