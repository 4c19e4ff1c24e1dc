"""The theme is remembered in config.toml; when it cannot be, the app says so instead of
writing through a read-only link or failing silently."""

from __future__ import annotations

from lastmile_tui.config import Config


async def test_a_read_only_linked_config_is_left_alone_and_the_app_says_why(seeded, make, tmp_path):
    store = tmp_path / "nix-store"
    store.mkdir()
    real = store / "config.toml"
    real.write_text('theme = "textual-dark"\n')
    real.chmod(0o444)
    store.chmod(0o555)
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    try:
        app = make(seeded)
        said: list[tuple[str, dict]] = []
        app.notify = lambda message, **kw: said.append((message, kw))  # type: ignore[method-assign]
        async with app.run_test(size=(100, 30)) as pilot:
            app.theme = "nord"
            await pilot.pause()
        assert said == [(f"could not save settings to {link} (a link to {real}): it is read-only",
                         {"severity": "warning", "markup": False})]
        assert link.is_symlink() and Config.load(link).theme == "textual-dark"
        assert sorted(p.name for p in store.iterdir()) == ["config.toml"]
    finally:
        store.chmod(0o755)
