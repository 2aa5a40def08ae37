/* mmlanim slides: every beat of the lecture is a step. The video plays to the end of the
   current step and pauses on its last frame; → / space / page down (a clicker) play the next
   step, ← goes back one. The narration plays with each step unless muted; the narration text
   of the step shows as speaker notes. No network access. */
(function () {
  "use strict";
  var video = document.getElementById("video");
  var deck = JSON.parse(document.getElementById("deck").textContent);
  var steps = deck.steps, fps = deck.fps, n = steps.length;
  var state = 0;      /* steps done: the picture shows the end of step state - 1 */
  var playing = -1;   /* the step playing, or -1 */
  var $ = function (id) { return document.getElementById(id); };

  /* Beats begin on the frame nearest their start, so step k ends at that frame boundary;
     it holds on the frame before it. */
  function boundary(t) { return Math.min(Math.round(t * fps) / fps, deck.duration); }
  function holdTime(k) { return k === 0 ? 0 : Math.max(0, boundary(steps[k - 1].end) - 0.25 / fps); }

  function render() {
    var k = playing >= 0 ? playing : Math.min(state, n - 1);
    $("counter").textContent = "Step " + (playing >= 0 ? playing + 1 : state) + " of " + n
      + (playing >= 0 ? " (playing)" : "");
    $("notes-chapter").textContent = (playing >= 0 || state < n ? (playing >= 0 ? "Now: " : "Next: ") : "End: ")
      + steps[k].chapter;
    $("notes-text").textContent = steps[k].notes || "(no narration in this step)";
    $("prev").disabled = state === 0 && playing < 0;
    $("next").disabled = state >= n && playing < 0;
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
  function mute() { video.muted = !video.muted; toggle("mute", video.muted); }
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
    var request = document.documentElement.requestFullscreen && document.documentElement.requestFullscreen();
    if (request && request.catch) { request.catch(function () { /* not allowed here: stay windowed */ }); }
  }

  $("next").addEventListener("click", next);
  $("prev").addEventListener("click", back);
  $("mute").addEventListener("click", mute);
  $("captions").addEventListener("click", captions);
  $("notes-toggle").addEventListener("click", notes);
  $("fullscreen").addEventListener("click", fullscreen);

  var keys = {
    ArrowRight: next, PageDown: next, " ": next, Enter: next,
    ArrowLeft: back, PageUp: back, Backspace: back,
    Home: function () { settle(0); }, End: function () { settle(n); },
    m: mute, M: mute, c: captions, C: captions, n: notes, N: notes, f: fullscreen, F: fullscreen
  };
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var onControl = event.target && (event.target.tagName === "BUTTON" || event.target.tagName === "A");
    if (onControl && (event.key === " " || event.key === "Enter")) { return; }  /* the control's own action */
    var action = keys[event.key];
    if (!action) { return; }
    event.preventDefault();
    action();
  });
  video.addEventListener("click", next);
  render();
}());
