/* mmlanim slides: every beat of the lecture is a step. The video plays to the end of the
   current step and pauses on its last frame; → / space / page down (a clicker) play the next
   step, ← goes back one. The narration plays with each step unless muted; the narration text
   of the step shows as speaker notes, here or in a presenter window (P) that steers this one.
   No network access. */
(function () {
  "use strict";
  var video = document.getElementById("video");
  var deck = JSON.parse(document.getElementById("deck").textContent);
  var steps = deck.steps, fps = deck.fps, n = steps.length;
  var presenter = window.location.hash === "#presenter";  /* the notes window, steering its opener */
  var state = 0;      /* steps done: the picture shows the end of step state - 1 */
  var playing = -1;   /* the step playing, or -1 */
  var peer = null;    /* the other window: the presenter's (for the audience) or the audience's */
  var $ = function (id) { return document.getElementById(id); };

  /* Beats begin on the frame nearest their start, so step k ends at that frame boundary;
     it holds on the frame before it. */
  function boundary(t) { return Math.min(Math.round(t * fps) / fps, deck.duration); }
  function holdTime(k) { return k === 0 ? 0 : Math.max(0, boundary(steps[k - 1].end) - 0.25 / fps); }

  function said(k) { return k < n ? steps[k].notes || "(no narration in this step)" : "(the end)"; }

  function render() {
    var k = playing >= 0 ? playing : state;  /* the step playing, or the one the next key plays */
    $("counter").textContent = "Step " + (playing >= 0 ? playing + 1 : state) + " of " + n
      + (playing >= 0 ? " (playing)" : "");
    $("notes-chapter").textContent = k < n ? (playing >= 0 ? "Now: " : "Next: ") + steps[k].chapter : "End";
    $("notes-text").textContent = said(k);
    $("notes-then").textContent = k + 1 < n ? "Then: " + said(k + 1) : "";
    $("prev").disabled = state === 0 && playing < 0;
    $("next").disabled = state >= n && playing < 0;
    if (!presenter && peer && !peer.closed) {
      peer.postMessage({ mmlanim: "state", state: state, playing: playing, muted: video.muted }, "*");
    }
  }

  function settle(k) {
    playing = -1;
    video.pause();
    state = k;
    video.currentTime = holdTime(k);
    render();
  }

  function watch() {
    if (playing < 0) { return; }
    var end = boundary(steps[playing].end) - 0.25 / fps;
    /* Stop one display frame early rather than late, then show the step's last frame exactly. */
    if (video.ended || video.currentTime + video.playbackRate / 60 >= end) { settle(playing + 1); return; }
    window.requestAnimationFrame(watch);
  }

  function next() {
    if (playing >= 0) { settle(playing + 1); return; }   /* mid-step: finish it at once */
    if (state >= n) { return; }
    playing = state;
    if (Math.abs(video.currentTime - holdTime(state)) > 0.5 / fps) { video.currentTime = holdTime(state); }
    render();
    var started = video.play();
    if (started && started.catch) { started.catch(function () { settle(state); }); }
    window.requestAnimationFrame(watch);
  }

  function back() {
    if (playing >= 0) { settle(playing); return; }       /* mid-step: back to its beginning */
    if (state > 0) { settle(state - 1); }
  }

  function toggle(id, on) { $(id).setAttribute("aria-pressed", on ? "true" : "false"); }
  function mute() { video.muted = !video.muted; toggle("mute", video.muted); render(); }
  function captions() {
    var track = video.textTracks[0];
    if (!track) { return; }
    track.mode = track.mode === "showing" ? "hidden" : "showing";
    toggle("captions", track.mode === "showing");
  }
  function notes() {
    var hidden = document.body.classList.toggle("no-notes");
    toggle("notes-toggle", !hidden);
  }
  function fullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); return; }
    var stage = document.querySelector(".stage");  /* the picture alone: the notes stay private */
    var request = stage.requestFullscreen && stage.requestFullscreen();
    if (request && request.catch) { request.catch(function () { /* not allowed here: stay windowed */ }); }
  }
  function presenterWindow() {
    if (peer && !peer.closed) { peer.focus(); return; }
    peer = window.open(window.location.href.split("#")[0] + "#presenter", "mmlanim-presenter",
                       "width=960,height=640");
  }

  var actions = { next: next, back: back, mute: mute, captions: captions, notes: notes, fullscreen: fullscreen,
                  presenter: presenterWindow,
                  first: function () { settle(0); }, last: function () { settle(n); } };
  if (presenter) {
    /* Every action happens in the audience's window; this one shows what it reports. */
    peer = window.opener;
    document.body.classList.add("presenter");
    Object.keys(actions).forEach(function (name) {
      if (name !== "notes") {
        actions[name] = function () { if (peer && !peer.closed) { peer.postMessage({ mmlanim: "do", action: name }, "*"); } };
      }
    });
  }
  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (event.source !== peer || typeof data !== "object") { return; }
    if (presenter && data.mmlanim === "state") {
      state = data.state; playing = data.playing;
      toggle("mute", data.muted);
      render();
    } else if (!presenter && data.mmlanim === "do" && actions[data.action]) {
      actions[data.action]();
    } else if (!presenter && data.mmlanim === "hello") {
      render();
    }
  });

  var buttons = { next: "next", prev: "back", mute: "mute", captions: "captions", "notes-toggle": "notes",
                  fullscreen: "fullscreen", "presenter-view": "presenter" };
  Object.keys(buttons).forEach(function (id) {
    $(id).addEventListener("click", function () { actions[buttons[id]](); });
  });
  var keys = {
    ArrowRight: "next", PageDown: "next", " ": "next", Enter: "next",
    ArrowLeft: "back", PageUp: "back", Backspace: "back", Home: "first", End: "last",
    m: "mute", M: "mute", c: "captions", C: "captions", n: "notes", N: "notes",
    f: "fullscreen", F: "fullscreen", p: "presenter", P: "presenter"
  };
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var onControl = event.target && (event.target.tagName === "BUTTON" || event.target.tagName === "A");
    if (onControl && (event.key === " " || event.key === "Enter")) { return; }  /* the control's own action */
    var action = keys[event.key];
    if (!action) { return; }
    event.preventDefault();
    actions[action]();
  });
  video.addEventListener("click", function () { actions.next(); });
  render();
  if (presenter && peer) { peer.postMessage({ mmlanim: "hello" }, "*"); }
}());
