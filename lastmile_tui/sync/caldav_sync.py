"""Two-way sync of every task with a CalDAV task list, one VTODO per task (``formats.ical``).

One sync: pull what changed on the server since the last sync token (RFC 6578; the caldav
library falls back to a listing with ETags where a server has none), download only the objects
whose ETag changed (calendar-multiget, 200 at a time), and bring them in through the import
door in ONE store transaction together with the new ETags and token (``Store.sync_pull``);
then push every task whose VTODO digest differs from the one last exchanged, each PUT carrying
``If-Match`` (or ``If-None-Match: *`` for a new one) and recorded as soon as the server took it.
A 412 means someone wrote in between: that one object is pulled again, resolved, and pushed once
more if this machine's change won. The rules (claims, conflicts) are ``domain.sync``'s.

Failures raise ``SyncFailed`` with one line; what was recorded before stays consistent, so the
next sync picks up where this one stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from lastmile_tui.domain import sync as rules
from lastmile_tui.domain.errors import ChangedMeanwhile, InvalidInput, NoSuchCalendar, SyncFailed
from lastmile_tui.domain.imports import Batch, Incoming, Skipped, updated
from lastmile_tui.domain.task import Task
from lastmile_tui.formats import ical
from lastmile_tui.store.store import SyncPull
from lastmile_tui.store.sync_state import SyncItem, child_key

if TYPE_CHECKING:
    from lastmile_tui.store.store import Store

SOURCE = "CalDAV"
MULTIGET_CHUNK = 200
PULL_ATTEMPTS = 3
"""How often a pull decides again when tasks change here while it writes, before it gives up."""


@dataclass
class Settings:
    """Where to sync: the server *url*, the *username*, the *calendar* (display name or URL),
    the *password* (from a command or the environment; never stored), *create* the calendar."""

    url: str
    username: str
    password: str
    calendar: str = "lastmile"
    create: bool = False
    timeout: int = 30
    auth: str = "basic"
    """``basic`` sends the password with the first request (one request, not a 401 and a retry:
    Radicale also slows every refused request down); ``digest``; ``auto`` lets the server say."""
    steps: str | None = None
    """``description`` (a checklist in each task's VTODO) or ``children`` (a child VTODO per step,
    for tasks.org and jtx Board); None: as this machine last synced this calendar, else as the
    calendar's tasks are written (another machine chose), else description."""


@dataclass
class Report:
    """What one sync did, for the summary (and ``--verbose``: every request made)."""

    requests: list[str] = field(default_factory=list)
    added: list[Task] = field(default_factory=list)
    updated: list[Task] = field(default_factory=list)
    pushed: list[Task] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    claims: list[Task] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    server_seconds: float = 0.0
    """Of *seconds*, how long was spent waiting for the server's answers."""


def sync(store: Store, settings: Settings, *, now: Callable[[], datetime] = datetime.now) -> Report:
    """Pull, then push; raise ``SyncFailed`` (one line) on a network or server failure."""
    import caldav
    from caldav.lib import error

    started = time.perf_counter()
    report = Report()
    client = caldav.DAVClient(url=settings.url, username=settings.username,
                              password=settings.password, timeout=settings.timeout,
                              auth_type=None if settings.auth == "auto" else settings.auth)
    _count_requests(client, report)
    try:
        _Sync(store, client, settings, report, now).run()
    except error.AuthorizationError as exc:
        raise SyncFailed(f"{settings.url} refused user {settings.username!r} (HTTP "
                         f"{_status(exc) or '401/403'}): check the user name and password; "
                         "nothing more was changed here") from None
    except error.DAVError as exc:
        raise SyncFailed(f"{settings.url} answered with an error ({_first_line(exc)}); the next "
                         "sync picks up from here") from None
    except OSError as exc:  # the network, a timeout, the server gone (requests' errors are OSErrors)
        raise SyncFailed(f"could not reach {settings.url} ({_network_reason(exc)}); the next sync "
                         "picks up from here") from None
    report.seconds = time.perf_counter() - started
    return report


def _count_requests(client: Any, report: Report) -> None:
    """Every request the client makes, as ``METHOD /path STATUS`` (what ``--verbose`` shows), and
    the time spent waiting for them."""
    original = client.request

    def counted(url: Any, method: str = "GET", body: str = "", headers: Any = None, **kw: Any) -> Any:
        started = time.perf_counter()
        try:
            response = original(url, method, body, headers, **kw)
        except Exception:
            report.requests.append(f"{method} {urlsplit(str(url)).path} failed")
            raise
        finally:
            report.server_seconds += time.perf_counter() - started
        report.requests.append(f"{method} {urlsplit(str(url)).path} {response.status}")
        return response

    client.request = counted


def _status(exc: BaseException) -> str:
    reason = str(getattr(exc, "reason", "") or "")
    return reason if reason.isdigit() else ""


def _network_reason(exc: BaseException) -> str:
    """The words of the system error under a network library's wrappers ("Connection refused",
    "timed out"), not the wrappers' reprs."""
    seen: list[BaseException] = [exc]
    for error in seen:
        if isinstance(error, TimeoutError) or "timeout" in type(error).__name__.lower():
            return "timed out"
        if isinstance(error, OSError) and error.strerror:
            return error.strerror
        seen += [e for e in (error.__cause__, error.__context__, *error.args)
                 if isinstance(e, BaseException) and e not in seen]
        if len(seen) > 20:
            break
    text = _first_line(exc)
    for words in ("Connection refused", "Name or service not known", "timed out", "Connection reset"):
        if words.lower() in text.lower():
            return words
    return text


def _first_line(exc: BaseException) -> str:
    text = (str(exc).splitlines() or [type(exc).__name__])[0]
    return "".join(c if c.isprintable() else " " for c in text)[:200]


@dataclass
class _Remote:
    href: str
    etag: str
    data: str


class _Sync:
    def __init__(self, store: Store, client: Any, settings: Settings, report: Report,
                 now: Callable[[], datetime]) -> None:
        self.store, self.client, self.settings, self.report, self.now = store, client, settings, report, now
        self.calendar: Any = None
        self.digests: dict[Task, str] = {}  # a task unchanged between pull and push: one digest
        self.children = False  # steps as child VTODOs ([sync] steps = "children")
        self.follow = False  # no option, first sync here: write steps as the calendar has them

    def digest(self, task: Task) -> str:
        found = self.digests.get(task)
        if found is None:
            found = self.digests[task] = ical.digest(task, children=self.children)
        return found

    def child_digests(self, task: Task) -> dict[str, str]:
        """UID → digest of each child VTODO this machine writes for *task* (none: description)."""
        if not self.children:
            return {}
        objects = ical.objects(task, children=True)
        return {uid: ical.object_digest(text) for uid, text in objects.items() if uid != task.uid}

    # -- the calendar --------------------------------------------------------------------

    def _open_calendar(self) -> None:
        """The calendar, from the URL remembered for these settings (no discovery: an unchanged
        list costs one request), else found by name or URL (and made with ``create``)."""
        import caldav
        from caldav.lib import error

        state = self.store.sync_state()
        wanted = f"{self.settings.url} {self.settings.username} {self.settings.calendar}"
        if state.get("settings") == wanted and state.get("calendar_url"):
            self.calendar = caldav.Calendar(client=self.client, url=state["calendar_url"])
            return
        name = self.settings.calendar
        if name.startswith(("http://", "https://")):
            self.calendar = caldav.Calendar(client=self.client, url=name)
        else:
            principal = self.client.principal()
            try:
                self.calendar = principal.calendar(name=name)
            except error.NotFoundError:
                if not self.settings.create:
                    raise NoSuchCalendar(f"{self.settings.url} has no calendar named {name!r} "
                                         f"for {self.settings.username}") from None
                self.calendar = principal.make_calendar(
                    name=name, supported_calendar_component_set=["VTODO"])
        url = str(self.calendar.url)
        # another server or calendar than last time: what was known of the old one does not apply
        forget = state.get("calendar_url", url) != url
        self.store.set_sync_state({"settings": wanted, "calendar_url": url, "server": self.settings.url,
                                   "calendar": name, "username": self.settings.username},
                                  forget_items=forget)

    # -- one sync ---------------------------------------------------------------------------

    def run(self) -> None:
        self._open_calendar()
        mode = self.settings.steps or self.store.sync_state().get("steps") or ""
        if mode and mode not in ical.STEPS_MODES:
            raise InvalidInput(f"steps = {mode!r}: use {' or '.join(ical.STEPS_MODES)}")
        self.children, self.follow = mode == "children", not mode
        self._pull()
        self._push()
        self.store.set_sync_state({"last_sync": self.now().replace(microsecond=0).isoformat(sep=" "),
                                   "steps": "children" if self.children else "description"})

    def _local(self) -> tuple[dict[str, Task], dict[str, SyncItem], dict[str, str]]:
        tasks = {task.uid: task for task in self.store.all_tasks()}
        items = self.store.sync_items()
        digests = {uid: self.digest(task) for uid, task in tasks.items()}
        return tasks, items, digests

    def _pull(self) -> None:
        token = self.store.sync_state().get("sync_token") or None
        result = self.calendar.objects_by_sync_token(sync_token=token, load_objects=False)
        items = self.store.sync_items()
        by_href = {item.href: item for item in items.values() if item.href}
        listed: dict[str, str] = {}
        for obj in result:
            href = str(obj.url)
            listed[href] = str((getattr(obj, "props", None) or {}).get("{DAV:}getetag", "") or "")
        deleted = {str(url) for url in (getattr(result, "deleted_urls", None) or ())}
        changed = [href for href, etag in listed.items() if href not in deleted
                   and (href not in by_href or not etag or by_href[href].etag != etag)]
        new_token = str(result.sync_token) if result.sync_token else None
        # the library lists everything (a "fake-" token) where the server has no sync token or
        # has forgotten ours: keep none, and ask the server for a real one next time
        listing = token is None or (new_token or "").startswith("fake-")
        if listing:  # a whole listing: what we knew and it no longer holds was deleted
            deleted |= set(by_href) - set(listed)
        read = self._download_families(changed, deleted, listed, items)
        if self.follow and any(ical.STEPS_AS in todo for _remote, _incoming, todo in read):
            self.children, self.digests = True, {}  # no option given: as the calendar is written
        self._bring_in(read, deleted,
                       {"sync_token": None if (new_token or "").startswith("fake-") else new_token})

    def _download_families(self, hrefs: list[str], deleted: set[str], etags: dict[str, str],
                           items: dict[str, SyncItem]) -> list[tuple[_Remote, Incoming, Any]]:
        """Download *hrefs*, each with its whole family (a task and its step children: a child
        ticked on a phone is read back into its task, which needs the task and every sibling), in
        the same multiget; a new child of a task not downloaded costs one more."""
        by_href = {item.href: item for item in items.values() if item.href}
        kids: dict[str, list[str]] = {}
        for item in items.values():
            if item.parent and item.href:
                kids.setdefault(item.parent, []).append(item.href)
        wanted = dict.fromkeys(hrefs)

        def family(uid: str) -> list[str]:
            parent = items.get(uid)
            if parent is None or not parent.href or parent.href in deleted:
                return []
            return [h for h in (parent.href, *kids.get(uid, ())) if h not in deleted]

        for href in [*hrefs, *deleted]:
            item = by_href.get(href)
            if item is not None:
                wanted.update(dict.fromkeys(family(item.parent or item.uid)))
        read = [got for remote in self._download(list(wanted), etags) if (got := self._read(remote))]
        missing: dict[str, None] = {}
        for _remote, _incoming, todo in read:
            parent = ical.parent_of(todo)
            if parent:
                missing.update(dict.fromkeys(h for h in family(parent) if h not in wanted))
        if missing:
            read += [got for remote in self._download(list(missing), etags) if (got := self._read(remote))]
        return read

    def _download(self, hrefs: list[str], etags: dict[str, str]) -> list[_Remote]:
        remotes = []
        for start in range(0, len(hrefs), MULTIGET_CHUNK):
            chunk = hrefs[start:start + MULTIGET_CHUNK]
            for obj in self.calendar.multiget([self.calendar.url.join(h) for h in chunk]):
                href = str(obj.url)
                etag = str((obj.props or {}).get("{DAV:}getetag", "") or etags.get(href, ""))
                remotes.append(_Remote(href, etag, obj.data or ""))
        return remotes

    def _bring_in(self, read: list[tuple[_Remote, Incoming, Any]], deleted: set[str],
                  state: dict[str, str | None]) -> None:
        """Decide task by task (claims, conflicts, deletions) on the tasks as they are now, then
        write it all in one transaction. A person who changes one of those tasks in between makes
        the store refuse the whole write (``ChangedMeanwhile``): read again, decide again."""
        for _attempt in range(PULL_ATTEMPTS):
            decided = Report()
            pull = self._decide(read, deleted, state, decided)
            try:
                result = self.store.sync_pull(pull)
            except ChangedMeanwhile:
                continue
            self.report.conflicts += decided.conflicts
            self.report.dropped += decided.dropped
            self.report.added += result.added
            self.report.updated += result.updated
            self.report.skipped += result.skipped
            self.report.claims += [t for t in (*result.added, *result.updated)
                                   if t.done_claimed_at is not None]
            return
        raise SyncFailed(f"tasks here kept changing while the sync was bringing in the server's "
                         f"changes ({PULL_ATTEMPTS} tries); nothing was pulled, the next sync tries again")

    def _families(self, read: list[tuple[_Remote, Incoming, Any]], tasks: dict[str, Task],
                  pull: SyncPull, items: dict[str, SyncItem]) -> list[tuple[_Remote, Incoming]]:
        """The tasks among *read*, each with its step children folded back in (``ical.fold``):
        the children lastmile wrote, and (steps as children) those another app made under a task;
        a child already a task here stays one. Every child read is recorded under its task."""
        uids = {incoming.task.uid for _remote, incoming, _todo in read}
        kids: dict[str, list[tuple[_Remote, Any]]] = {}
        tasks_read = []
        for remote, incoming, todo in read:
            uid, parent = incoming.task.uid, ical.parent_of(todo)
            if (parent and parent != uid and uid not in tasks and (parent in tasks or parent in uids)
                    and (ical.role(todo) or self.children)):
                kids.setdefault(parent, []).append((remote, todo))
            else:
                tasks_read.append((remote, incoming, todo))
        families = []
        for remote, incoming, todo in tasks_read:
            uid = incoming.task.uid
            family = kids.pop(uid, [])
            if family or ical.STEPS_AS in todo:
                incoming = rules.claimed(ical.fold(incoming, todo, [kid for _r, kid in family]), SOURCE)
                self._children_read(incoming.task, todo, family, pull)
            else:
                incoming = rules.claimed(incoming, SOURCE)
            families.append((remote, incoming))
        for parent, family in kids.items():  # children of a task not read now: recorded, kept
            for remote, kid in family:
                old = items.get(key := child_key(parent, str(kid.get("UID", ""))))
                pull.items.append(SyncItem(key, remote.href, remote.etag, old.synced_digest if old else ""))
        return families

    def _children_read(self, task: Task, todo: Any, family: list[tuple[_Remote, Any]],
                       pull: SyncPull) -> None:
        """Record each child read; one (or the task) whose copy there does not say what this
        machine would write (a phone's tick left the task's percentage behind, a step moved the
        final one's sort order) goes up again; otherwise a phone's copy is left as it is."""
        ours = {str(kid["UID"]): kid for kid in ical.child_vtodos(task)} if self.children else {}
        stale = self.children and not ical.says_the_same(todo, ical.vtodo(task, children=True),
                                                          ical.PARENT_SAYS)
        for remote, kid in family:
            uid = str(kid.get("UID", ""))
            record = SyncItem(child_key(task.uid, uid), remote.href, remote.etag)
            pull.items.append(record)
            if uid not in ours or not ical.says_the_same(kid, ours[uid], ical.CHILD_SAYS):
                pull.keep_digest.add(record.uid)  # '': sent again (or deleted) by the push
                stale = True
        if stale:
            pull.stale.add(task.uid)

    def _decide(self, read: list[tuple[_Remote, Incoming, Any]], deleted: set[str],
                state: dict[str, str | None], decided: Report) -> SyncPull:
        """What to write for what the server sent, by the rules, against the local tasks as read
        now (each one's digest goes with the pull, for the store to check at the door)."""
        pull = SyncPull(Batch(SOURCE), self.digest, state=state, child_digests=self.child_digests)
        if not read and not deleted:
            return pull  # nothing came: only the new token to write
        tasks, items, digests = self._local()
        by_href = {item.href: item for item in items.values() if item.href}
        for remote, incoming in self._families(read, tasks, pull, items):
            uid = incoming.task.uid
            pull.seen[uid] = digests.get(uid, "")
            here = tasks.get(uid)
            item = items.get(uid)
            changed_here = here is not None and (item is None or digests[uid] != item.synced_digest)
            from_server = here is None or incoming.task.source_hash != here.source_hash
            record = SyncItem(uid, remote.href, remote.etag, item.synced_digest if item else "")
            if here is not None and changed_here and from_server:
                if rules.winner(here, incoming.task) is rules.Winner.HERE:
                    pull.losers.append(updated(here, incoming, SOURCE, incoming.task.updated_at))
                    pull.keep_digest.add(uid)
                    pull.items.append(record)
                    if (claim := rules.claim_kept(here, incoming)) is not None:  # never lost here
                        pull.batch.tasks.append(claim)
                        decided.conflicts.append(
                            f"{here.title!r}: changed here and completed elsewhere: this machine's "
                            "change kept, and the completion waits for your confirmation")
                        continue
                    decided.conflicts.append(f"{here.title!r}: changed on both sides, this machine's "
                                             "newer change kept (undo brings back the server's)")
                    continue
                decided.conflicts.append(f"{here.title!r}: changed on both sides, the server's "
                                         "newer change kept (undo brings back this machine's)")
            elif here is not None and changed_here:
                pull.keep_digest.add(uid)  # the server has nothing new: this machine's change goes up
            pull.batch.tasks.append(incoming)
            pull.items.append(record)
        for key in [item.uid for item in pull.items if item.parent in pull.keep_digest]:
            pull.keep_digest.add(key)  # this machine's change goes up: its children are compared then
        for href in deleted:
            gone = by_href.get(href)
            if gone is None:
                continue
            if gone.parent:  # a child: its task, read again with the rest, says what changed
                pull.items.append(SyncItem(gone.uid))
                pull.keep_digest.add(gone.uid)
                continue
            here = tasks.get(gone.uid)
            pull.seen[gone.uid] = digests.get(gone.uid, "")
            if here is not None and digests[gone.uid] != gone.synced_digest:
                # deleted there, edited here: kept, and it goes up again as a new object
                pull.items.append(SyncItem(gone.uid))
                pull.keep_digest.add(gone.uid)
                decided.conflicts.append(f"{here.title!r}: deleted on the server, changed here: kept")
            else:
                pull.dropped.append(gone.uid)
                pull.items.append(SyncItem(gone.uid))  # href '': not sent again unless changed here
                if here is not None:
                    decided.dropped.append(here.title)
        return pull

    def _read(self, remote: _Remote) -> tuple[_Remote, Incoming, Any] | None:
        name = remote.href.rstrip("/").rsplit("/", 1)[-1]
        try:
            got = ical.read_component(remote.data, name=name)
        except InvalidInput as exc:
            self.report.skipped.append(Skipped(name, "", str(exc)))
            return None
        return None if got is None else (remote, *got)

    # -- pushing --------------------------------------------------------------------------------

    def _push(self) -> None:
        tasks, items, digests = self._local()
        kids: dict[str, dict[str, SyncItem]] = {}
        for item in items.values():
            if item.parent:
                kids.setdefault(item.parent, {})[item.child] = item
        for uid, task in tasks.items():
            item = items.get(uid)
            if not goes_up(digests[uid], item):
                continue
            self._put(task, item, digests[uid], kids.get(uid, {}), retry=True)
        for uid, family in kids.items():  # children of a task no longer on the server: theirs too
            parent = items.get(uid)
            if uid not in tasks or parent is None or not parent.href:
                current = self.store.sync_items().get(uid)
                if current is None or not current.href:
                    self._delete_children(uid, family, keep=set())

    def _send(self, uid: str, text: str, old: SyncItem | None) -> tuple[str, Any]:
        """PUT one object where it was (or as a new ``UID.ics``), with ``If-Match`` its ETag, or
        ``If-None-Match: *`` for a new one: someone's write in between is a 412, never lost."""
        href = old.href if old is not None and old.href else str(
            self.calendar.url.join(quote(uid, safe="") + ".ics"))
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if old is not None and old.href and old.etag:
            headers["If-Match"] = old.etag
        else:
            headers["If-None-Match"] = "*"
        return href, self.client.put(href, text, headers)

    def _put(self, task: Task, item: SyncItem | None, digest: str, kids: dict[str, SyncItem], *,
             retry: bool) -> None:
        objects = ical.objects(task, children=self.children)
        href, response = self._send(task.uid, objects.pop(task.uid), item)
        if response.status in (200, 201, 204):
            etag = str(response.headers.get("etag", "") or "")
            if objects or kids:  # its children first; the task counts as sent once they are
                self.store.sync_pushed(SyncItem(task.uid, href, etag, item.synced_digest if item else ""))
                if not self._put_children(task, objects, kids):
                    self.report.pushed.append(task)
                    return
            self.store.sync_pushed(SyncItem(task.uid, href, etag, digest))
            self.report.pushed.append(task)
            return
        if response.status == 412 and retry:  # someone wrote in between: pull that one, resolve, retry
            self._pull_one(href)
            tasks, items, digests = self._local()
            again = items.get(task.uid)
            if task.uid in tasks and (again is None or digests[task.uid] != again.synced_digest):
                kids = {i.child: i for i in items.values() if i.parent == task.uid}
                self._put(tasks[task.uid], again, digests[task.uid], kids, retry=False)
            return
        self._refused(response, href, task.title)

    def _refused(self, response: Any, href: str, title: str) -> None:
        if response.status in (401, 403):
            from caldav.lib import error

            raise error.AuthorizationError(url=href, reason=str(response.status))
        raise SyncFailed(f"{self.settings.url} refused to store {title!r} (HTTP {response.status}); "
                         "the next sync tries again")

    def _put_children(self, task: Task, objects: dict[str, str], kids: dict[str, SyncItem]) -> bool:
        """Send the child VTODOs of *task* that changed and delete those it no longer has; False
        when another app changed one in between (412): the next sync pulls it and decides."""
        done = True
        for uid, text in objects.items():
            digest, old = ical.object_digest(text), kids.get(uid)
            if old is not None and old.href and old.synced_digest == digest:
                continue
            href, response = self._send(uid, text, old)
            if response.status == 412:
                done = False
                continue
            if response.status not in (200, 201, 204):
                self._refused(response, href, task.title)
            etag = str(response.headers.get("etag", "") or "")
            self.store.sync_pushed(SyncItem(child_key(task.uid, uid), href, etag, digest))
        return self._delete_children(task.uid, kids, keep=set(objects)) and done

    def _delete_children(self, parent: str, kids: dict[str, SyncItem], *, keep: set[str]) -> bool:
        """Delete the children of *parent* not in *keep* from the server (a step removed, steps
        written as a checklist again, the task gone from the server)."""
        for uid, old in kids.items():
            if uid in keep:
                continue
            if old.href:
                response = self.client.delete(old.href, {"If-Match": old.etag} if old.etag else {})
                if response.status == 412:
                    return False  # changed elsewhere meanwhile: the next pull reads it first
                if response.status not in (200, 204, 404):
                    self._refused(response, old.href, parent)
            self.store.sync_pushed(None, forgotten=[child_key(parent, uid)])
        return True

    def _pull_one(self, href: str) -> None:
        read = self._download_families([href], set(), {}, self.store.sync_items())
        self._bring_in(read, set() if read else {href}, {})


def goes_up(digest: str, item: SyncItem | None) -> bool:
    """Whether a task waits to go up: never sent, or its VTODO's *digest* is not the one last
    exchanged (what a sync pushes, and ``--status`` counts)."""
    return item is None or digest != item.synced_digest


def status_lines(store: Store) -> list[str]:
    """What ``lastmile sync --status`` says: the server, the last sync, what waits to go up."""
    state = store.sync_state()
    if not state.get("calendar_url"):
        return ["never synced (set [sync] url, username and calendar in config.toml, then: lastmile sync)"]
    items = store.sync_items()
    tasks = list(store.all_tasks())
    children = state.get("steps") == "children"
    waiting = [task for task in tasks
               if goes_up(ical.digest(task, children=children), items.get(task.uid))]
    claims = [task for task in tasks if task.done_claimed_at is not None]
    lines = [f"server: {state.get('server', '?')} as {state.get('username', '?')}, "
             f"calendar {state.get('calendar', '?')} ({state['calendar_url']})",
             f"last sync: {state.get('last_sync', 'never completed')}",
             "steps: " + ("child VTODOs (subtasks)" if children else "a checklist in each task"),
             f"waiting to go up: {len(waiting)} task{'s' if len(waiting) != 1 else ''}"]
    lines += [f"  {task.id}  {task.title}" for task in waiting[:10]]
    if claims:
        lines.append(f"completed elsewhere, waiting for your confirmation: {len(claims)}")
        lines += [f"  {task.id}  {task.title}: {rules.claim_line(task.final_step)}" for task in claims[:10]]
    return lines
