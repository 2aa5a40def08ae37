"""The published site in a real headless Chromium, from file:// and from a local static server.

These tests need Debian's ``chromium`` (installed by ``make test``) and the
``playwright`` package (the test extra); playwright drives the system's
browser, it never downloads one. Without them the tests are skipped, except
in CI (``CI=true``), where they must run.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .test_site import _vtt_cues

pytestmark = pytest.mark.render

_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--autoplay-policy=no-user-gesture-required"]
A11Y = (Path(__file__).with_name("a11y.js")).read_text(encoding="utf-8")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(f"{reason} (run `make test`, which installs it)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = shutil.which("chromium")
    if chromium is None:
        _unavailable("the chromium browser is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=_ARGS)
        yield b
        b.close()


class _RangeHandler(SimpleHTTPRequestHandler):
    """A static file server answering byte-range requests, as static hosts do (the standard
    library's does not, and a browser cannot seek a video without them)."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        wanted = self.headers.get("Range", "")
        path = Path(self.translate_path(self.path))
        if not wanted.startswith("bytes=") or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first, _, last = wanted.removeprefix("bytes=").split(",")[0].partition("-")
        start = int(first) if first else max(0, size - int(last))
        end = min(int(last), size - 1) if first and last else size - 1
        if start >= size:
            self.send_error(416)
            return None
        f = path.open("rb")
        f.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Limited(f, end - start + 1)


class _Limited:
    """The first ``n`` bytes of an open file, for ``copyfile``."""

    def __init__(self, f, n: int) -> None:
        self.f, self.left = f, n

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.f.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.f.close()


@pytest.fixture(scope="module")
def server(published) -> Iterator[str]:
    """The site served over HTTP on 127.0.0.1 (any free port)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_RangeHandler, directory=str(published.site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _Watched:
    """A page with the console errors, page errors and requested addresses it produced."""

    def __init__(self, browser: object, url: str) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})  # type: ignore[attr-defined]
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def js(self, script: str, arg: object = None) -> object:
        return self.page.evaluate(script, arg)

    def only_from(self, base: str) -> None:
        assert not self.errors, self.errors
        strangers = [u for u in self.requests if not (u.startswith(base) or u.startswith("data:"))]
        assert not strangers, strangers


def _base(kind: str, published, request) -> str:
    return published.site.as_uri() if kind == "file" else request.getfixturevalue("server")


@pytest.mark.parametrize("kind", ["file", "http"])
def test_lecture_page_plays_with_tracks_chapters_and_transcript(kind, browser, published, request):
    base = _base(kind, published, request)
    manifest = published.manifests["three-segments"]
    w = _Watched(browser, f"{base}/three-segments/index.html")
    w.page.wait_for_function("document.getElementById('video').readyState >= 1")
    w.js("""() => { for (const t of document.getElementById('video').textTracks)
        if (t.mode === 'disabled') t.mode = 'hidden'; }""")
    w.page.wait_for_function("[...document.getElementById('video').textTracks].every(t => t.cues && t.cues.length)")
    duration, counts = w.js("""() => { const v = document.getElementById('video');
        return [v.duration, Object.fromEntries([...v.textTracks].map(t => [t.kind, t.cues.length]))]; }""")
    assert duration == pytest.approx(manifest["duration"], abs=1 / manifest["fps"])
    vtt = (published.site / "three-segments" / "three-segments.vtt").read_text()
    assert counts == {"subtitles": len(_vtt_cues(vtt)), "chapters": len(manifest["segments"])} == \
        {"subtitles": 7, "chapters": 3}

    w.js("""() => { window.seeks = []; const v = document.getElementById('video');
        v.addEventListener('seeking', () => window.seeks.push(v.currentTime)); }""")
    w.page.get_by_role("button", name="Second pair").click()
    w.page.wait_for_function("window.seeks.length === 1")
    assert w.js("window.seeks[0]") == pytest.approx(manifest["segments"][2]["start"], abs=1e-3)
    sentences = [s for seg in manifest["segments"] for b in seg["beats"] for s in b["sentences"]]
    w.page.get_by_role("button", name="Two arrows leave the origin.").click()
    w.page.wait_for_function("window.seeks.length === 2")
    assert w.js("window.seeks[1]") == pytest.approx(sentences[3]["start"], abs=1e-3)
    assert w.js("document.querySelector('.sentence[aria-current]').textContent") == sentences[3]["text"]
    # From the keyboard: a sentence is a button; Enter plays from it.
    w.js("() => document.querySelectorAll('.sentence')[5].focus()")
    w.page.keyboard.press("Enter")
    w.page.wait_for_function("window.seeks.length === 3")
    assert w.js("window.seeks[2]") == pytest.approx(sentences[5]["start"], abs=1e-3)

    # The highlight follows the time, set from outside the page's controls.
    w.js("() => document.getElementById('video').pause()")
    for k in (0, 6, 2, 5):
        middle = (sentences[k]["start"] + sentences[k]["end"]) / 2
        w.js("t => { window.seeks = []; document.getElementById('video').currentTime = t; }", middle)
        w.page.wait_for_function("window.seeks.length === 1 && !document.getElementById('video').seeking")
        current = w.js("""() => [
            [...document.querySelectorAll('.sentence')].findIndex(s => s.getAttribute('aria-current')),
            document.querySelector('.chapter[aria-current]').textContent]""")
        chapter = next(s["title"] for s in manifest["segments"] if s["start"] <= middle < s["end"])
        assert current[0] == k and current[1].endswith(chapter)
    w.only_from(base)
    w.page.close()


def test_index_links_to_the_lectures_and_back(browser, published):
    w = _Watched(browser, (published.site / "index.html").as_uri())
    assert w.js("[...document.querySelectorAll('h2')].map(h => h.textContent)") == ["Linear Algebra"]
    w.page.get_by_role("link", name="Adding vectors").click()
    w.page.wait_for_url("**/two-segments/index.html")
    w.page.get_by_role("link", name="Next: Sync check →").click()
    w.page.wait_for_url("**/three-segments/index.html")
    w.page.get_by_role("link", name="All lectures").click()
    w.page.wait_for_url("**/site/index.html")
    w.only_from(published.site.as_uri())
    w.page.close()


def test_slides_pause_at_every_beat_end_and_step_with_keys(browser, published):
    manifest = published.manifests["three-segments"]
    fps = manifest["fps"]
    beats = [b for s in manifest["segments"] for b in s["beats"] if b["end"] > b["start"]]
    w = _Watched(browser, (published.site / "three-segments" / "slides.html").as_uri())
    w.page.wait_for_function("document.getElementById('video').readyState >= 1")
    w.js("""() => { const v = document.getElementById('video'); v.defaultPlaybackRate = v.playbackRate = 3;
        window.plays = 0; v.addEventListener('play', () => { window.plays += 1; }); }""")
    video = "document.getElementById('video')"
    for k, key in enumerate(["ArrowRight", "Space", "PageDown", "ArrowRight"]):
        assert w.js(f"{video}.paused")
        w.page.keyboard.press(key)
        try:
            w.page.wait_for_function(f"{video}.paused && window.plays >= {k + 1}", timeout=10_000)
        finally:
            t, plays, counter = w.js(
                f"[{video}.currentTime, window.plays, document.getElementById('counter').textContent]")
        assert plays == k + 1, (k, t, plays, counter)
        assert abs(t - beats[k]["end"]) <= 1 / fps, (k, t, beats[k]["end"])
        assert w.js("document.getElementById('counter').textContent") == f"Step {k + 1} of {len(beats)}"
        assert w.js("document.getElementById('notes-text').textContent") == \
            (" ".join(s["text"] for s in beats[k + 1]["sentences"]) or "(no narration in this step)")
    w.page.keyboard.press("ArrowLeft")
    w.page.wait_for_function(f"!{video}.seeking")
    assert abs(w.js(f"{video}.currentTime") - beats[2]["end"]) <= 1 / fps
    assert w.js("document.getElementById('counter').textContent") == f"Step 3 of {len(beats)}"
    assert w.js(f"{video}.muted") is False
    w.page.keyboard.press("m")
    assert w.js(f"{video}.muted") is True
    assert w.js("window.plays") == 4
    w.only_from(published.site.as_uri())
    w.page.close()


def test_presenter_window_shows_the_notes_and_steers_the_slides(browser, published):
    manifest = published.manifests["two-segments"]
    beats = [b for s in manifest["segments"] for b in s["beats"] if b["end"] > b["start"]]
    w = _Watched(browser, (published.site / "two-segments" / "slides.html").as_uri())
    w.page.wait_for_function("document.getElementById('video').readyState >= 1")
    w.js("() => { const v = document.getElementById('video'); v.defaultPlaybackRate = v.playbackRate = 3; }")
    with w.page.expect_popup() as opened:
        w.page.keyboard.press("p")
    presenter = opened.value
    presenter.wait_for_load_state("load")
    text = "id => document.getElementById(id).textContent"
    presenter.wait_for_function(f"({text})('notes-text') === {beats[0]['sentences'][0]['text']!r}")
    assert presenter.evaluate("getComputedStyle(document.querySelector('.stage')).display") == "none"
    presenter.keyboard.press("ArrowRight")  # steers the audience's window
    w.page.wait_for_function("window.document.getElementById('video').paused && "
                             "document.getElementById('counter').textContent.startsWith('Step 1 ')")
    assert abs(w.js("document.getElementById('video').currentTime") - beats[0]["end"]) <= 1 / manifest["fps"]
    presenter.wait_for_function(f"({text})('counter') === 'Step 1 of {len(beats)}'")
    said = [" ".join(x["text"] for x in b["sentences"]) or "(no narration in this step)" for b in beats]
    assert presenter.evaluate(text, "notes-text") == said[1]
    assert presenter.evaluate(text, "notes-then") == f"Then: {said[2]}"
    presenter.keyboard.press("m")
    w.page.wait_for_function("document.getElementById('video').muted")
    presenter.close()
    w.only_from(published.site.as_uri())
    w.page.close()


@pytest.mark.parametrize("page", ["index.html", "three-segments/index.html", "three-segments/slides.html"])
def test_pages_pass_the_accessibility_check(page, browser, published):
    w = _Watched(browser, (published.site / page).as_uri())
    if "three-segments/index" in page:  # include the highlighted sentence and chapter
        w.page.wait_for_function("document.getElementById('video').readyState >= 1")
        w.js("() => { document.getElementById('video').currentTime = 5; }")
        w.page.wait_for_selector(".sentence[aria-current]")
    assert w.js(A11Y) == []
    # Every stop of the keyboard's tab order shows a focus outline of at least 2 px.
    seen = []
    for _ in range(60):
        w.page.keyboard.press("Tab")
        focus = w.js("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return [e.tagName + ' ' + (e.textContent || '').trim().slice(0, 30), e === document.body,
                    s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2]; }""")
        if focus[1] or (seen and focus[0] == seen[0]):
            break
        assert focus[2], f"no visible focus on {focus[0]}"
        seen.append(focus[0])
    assert len(seen) >= 2
    w.only_from(published.site.as_uri())
    w.page.close()


def test_the_accessibility_check_finds_what_it_looks_for(browser):
    """The check above is not vacuous: it reports faint text, a nameless button, a missing alt and captions."""
    page = browser.new_page()  # type: ignore[attr-defined]
    page.set_content("""<html><head><title>t</title></head><body><h1>Title</h1>
        <p style="color:#999">faint grey</p><p style="color:#767676">just enough</p>
        <button></button><img src="data:,"><video></video></body></html>""")
    problems = page.evaluate(A11Y)
    page.close()
    assert "html has no lang" in problems
    assert any(p.startswith("contrast 2.85 < 4.5") and "faint grey" in p for p in problems)
    assert not any("just enough" in p for p in problems)  # #767676 on white is 4.54:1
    assert any(p.startswith("control without a name: <button>") for p in problems)
    assert any(p.startswith("img without alt") for p in problems)
    assert "video without captions" in problems
