"""Value classes without ``dataclasses``: the shell commands' start-up is mostly imports.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis`` and ``tokenize``): 6 ms of every
``lastmile add`` or ``lastmile count``, before a class is even made, and then a few ``exec`` calls
per class. ``@value`` writes the same methods from the class's annotations in one ``exec`` per
class: ``__init__`` with the same positional-or-keyword arguments and defaults, ``__eq__``,
``__hash__`` (frozen ones), ``__repr__``, ``__slots__``, ``__match_args__``, and ``FIELDS`` (the
names in order, for ``dataclasses.fields``) and ``with_changes(**changes)`` (for
``dataclasses.replace``). A frozen value raises ``FrozenInstanceError`` on assignment.

Inheritance between value classes is not supported (none is needed); a method the class body
defines itself is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")
C = TypeVar("C", bound=type)


class FrozenInstanceError(AttributeError):
    """Assigning to (or deleting) a field of a frozen value, as ``dataclasses.FrozenInstanceError``."""


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], T]) -> T:
    """A default made afresh for each instance (``list``, ``datetime.now``), as in ``dataclasses``."""
    return _Factory(default_factory)  # type: ignore[return-value]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def value(cls: C | None = None, /, *, frozen: bool = True) -> Any:
    """Make *cls* a slotted value class from its annotations (frozen unless ``frozen=False``)."""

    def build(cls: C) -> C:
        return _build(cls, frozen)

    return build if cls is None else build(cls)


def _build(cls: C, frozen: bool) -> C:
    own = cls.__dict__
    names: tuple[str, ...] = tuple(own.get("__annotations__", {}))
    if any(hasattr(base, "FIELDS") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__qualname__}: a value class cannot inherit from another")
    namespace = {k: v for k, v in own.items() if k not in names and k not in ("__dict__", "__weakref__")}
    namespace["__slots__"] = names
    namespace["__match_args__"] = names
    namespace["FIELDS"] = names
    made = type(cls)(cls.__name__, cls.__bases__, namespace)

    env: dict[str, Any] = {"_MISSING": _MISSING, "_Frozen": FrozenInstanceError, "_cls": made}
    params: list[str] = []
    body: list[str] = []
    defaulted = ""
    for name in names:
        default = own.get(name, _MISSING)
        if isinstance(default, _Factory):
            env[f"_f_{name}"] = default.make
            params.append(f"{name}=_MISSING")
            body.append(f"  if {name} is _MISSING: {name} = _f_{name}()")
            defaulted = name
        elif default is not _MISSING:
            env[f"_d_{name}"] = default
            params.append(f"{name}=_d_{name}")
            defaulted = name
        elif defaulted:
            raise TypeError(f"{cls.__qualname__}: field {name!r} without a default follows {defaulted!r}")
        else:
            params.append(name)
        env[f"_s_{name}"] = made.__dict__[name].__set__  # the slot itself: no __setattr__ in the way
        body.append(f"  _s_{name}(self, {name})")
    mine = tuple(f"self.{name}" for name in names)
    theirs = tuple(f"other.{name}" for name in names)
    as_tuple = f"({', '.join(mine)}{',' if len(names) == 1 else ''})"
    methods = {
        "__init__": f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or ["  pass"]),
        "__repr__": (
            "def __repr__(self):\n  return f'{self.__class__.__qualname__}("
            + ", ".join(f"{name}={{self.{name}!r}}" for name in names) + ")'"
        ),
        "__eq__": (
            "def __eq__(self, other):\n"
            "  if other.__class__ is self.__class__:\n"
            f"    return {as_tuple} == ({', '.join(theirs)}{',' if len(names) == 1 else ''})\n"
            "  return NotImplemented"
        ),
        "__reduce__": f"def __reduce__(self):\n  return (self.__class__, {as_tuple})",
        "with_changes": (
            "def with_changes(self, /, **changes):\n"
            f"  args = ({''.join(f'changes.pop({n!r}, self.{n}), ' for n in names)})\n"
            "  if changes:\n"
            "    raise TypeError(f'{self.__class__.__qualname__} has no field '"
            " + ', '.join(map(repr, changes)))\n"
            "  return self.__class__(*args)"
        ),
    }
    if frozen:
        methods["__hash__"] = f"def __hash__(self):\n  return hash({as_tuple})"
        methods["__setattr__"] = (
            "def __setattr__(self, name, value):\n"
            "  raise _Frozen(f'cannot assign to field {name!r}')"
        )
        methods["__delattr__"] = (
            "def __delattr__(self, name):\n  raise _Frozen(f'cannot delete field {name!r}')"
        )
    wanted = {name: source for name, source in methods.items() if name not in own}
    exec("\n".join(wanted.values()), env)  # noqa: S102 - our own source, from field names
    for name in wanted:
        function = env[name]
        function.__qualname__ = f"{made.__qualname__}.{name}"
        function.__module__ = made.__module__
        setattr(made, name, function)
    if not frozen and "__eq__" in wanted:
        made.__hash__ = None  # type: ignore[assignment]  # mutable and equal by value: unhashable
    return made  # type: ignore[return-value]
