"""Value classes without ``dataclasses``: the shell commands' start-up is mostly imports.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis`` and ``tokenize``): 6 ms of every
``lastmile add`` or ``lastmile count``, before a class is even made, and then about 1 ms per class
compiling the methods it writes. ``@value`` gives a class the same behaviour from its
annotations: ``__init__`` with the same positional-or-keyword arguments and defaults (the one
method compiled per class, about 0.1 ms), and shared functions for ``__eq__``, ``__hash__``
(frozen ones), ``__repr__`` and pickling; ``__slots__``, ``__match_args__``, ``FIELDS`` (the names
in order, in place of ``dataclasses.fields``) and ``with_changes(**changes)`` (in place of
``dataclasses.replace``). A frozen value raises ``FrozenInstanceError`` on assignment.

Inheritance between value classes is not supported (none is needed); a method the class body
defines itself is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` costs a shell command 2 ms to import: only checkers read it here
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
    C = TypeVar("C", bound=type)
else:
    def dataclass_transform(**_: object) -> Callable[[Callable[..., object]], Callable[..., object]]:
        return lambda decorated: decorated


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
    namespace["_field_values"] = attrgetter(*names) if len(names) > 1 else _one_value(names)
    methods: dict[str, Any] = {"__repr__": _repr, "__eq__": _eq, "__reduce__": _reduce,
                               "with_changes": _with_changes}
    if frozen:
        methods |= {"__hash__": _hash, "__setattr__": _frozen_setattr, "__delattr__": _frozen_delattr}
    elif "__eq__" not in own:
        methods["__hash__"] = None  # mutable and equal by value: unhashable, as with @dataclass
    namespace |= {name: method for name, method in methods.items() if name not in own}
    made = type(cls)(cls.__name__, cls.__bases__, namespace)
    if "__init__" not in own:
        _check_defaults(made, names, own)
        made.__init__ = _first_init(made, names, own)  # type: ignore[misc]
    return made  # type: ignore[return-value]


def _check_defaults(made: type, names: tuple[str, ...], own: Mapping[str, Any]) -> None:
    """A field without a default after one with a default is refused as the class is made."""
    defaulted = ""
    for name in names:
        if own.get(name, _MISSING) is not _MISSING:
            defaulted = name
        elif defaulted:
            raise TypeError(f"{made.__qualname__}: field {name!r} without a default follows {defaulted!r}")


def _first_init(made: type, names: tuple[str, ...], own: Mapping[str, Any]) -> Callable[..., None]:
    """Writes the class's ``__init__`` at its first instance, not at import: a shell command
    imports a dozen value classes and makes instances of a few."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _init(made, names, own)
        made.__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{made.__qualname__}.__init__"
    return __init__


def _init(made: type, names: tuple[str, ...], own: Mapping[str, Any]) -> Callable[..., None]:
    """The one method written out as source: it runs for every row the store reads, and
    straight-line code setting the slots is twice as quick as a loop over the names. The only
    ``exec`` per class (about 0.1 ms), made at the first instance; the other methods are shared
    functions."""
    env: dict[str, Any] = {"_MISSING": _MISSING}
    params: list[str] = []
    body: list[str] = []
    for name in names:
        default = own.get(name, _MISSING)
        if isinstance(default, _Factory):
            env[f"_f_{name}"] = default.make
            params.append(f"{name}=_MISSING")
            body.append(f" if {name} is _MISSING: {name} = _f_{name}()")
        elif default is not _MISSING:
            env[f"_d_{name}"] = default
            params.append(f"{name}=_d_{name}")
        else:
            params.append(name)
        env[f"_s_{name}"] = made.__dict__[name].__set__  # the slot itself: no __setattr__ in the way
        body.append(f" _s_{name}(self, {name})")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or [" pass"]), env)  # noqa: S102
    init = env["__init__"]
    init.__qualname__ = f"{made.__qualname__}.__init__"
    init.__module__ = made.__module__
    return init  # type: ignore[no-any-return]


def _one_value(names: tuple[str, ...]) -> staticmethod[[Any], tuple[Any, ...]]:
    """``attrgetter`` of one name gives the value, not a 1-tuple (hashes must match a dataclass's)."""
    if not names:
        return staticmethod(lambda item: ())
    getter = attrgetter(*names)
    return staticmethod(lambda item: (getter(item),))


def _repr(self: Any) -> str:
    pairs = zip(self.FIELDS, self._field_values(self), strict=True)
    shown = ", ".join(f"{name}={value!r}" for name, value in pairs)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self._field_values(self) == other._field_values(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self._field_values(self))


def _reduce(self: Any) -> tuple[type, tuple[Any, ...]]:
    return self.__class__, self._field_values(self)


def _with_changes(self: Any, /, **changes: Any) -> Any:
    """A copy with *changes* (``dataclasses.replace``): the class's own ``__init__`` runs again."""
    pairs = zip(self.FIELDS, self._field_values(self), strict=True)
    args = [changes.pop(name, value) for name, value in pairs]
    if changes:
        raise TypeError(f"{self.__class__.__qualname__} has no field " + ", ".join(map(repr, changes)))
    return self.__class__(*args)


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
