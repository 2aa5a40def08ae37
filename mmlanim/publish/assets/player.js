/* mmlanim lecture page: chapters and transcript that seek, the spoken sentence highlighted.
   The video keeps the browser's own controls (keyboard operable, with a captions menu);
   this script only links the chapter list and the transcript to it. No network access. */
(function () {
  "use strict";
  var video = document.getElementById("video");
  if (!video) { return; }
  var sentences = Array.prototype.slice.call(document.querySelectorAll(".sentence"));
  var chapters = Array.prototype.slice.call(document.querySelectorAll(".chapter"));
  var body = document.querySelector(".transcript-body");
  var startOf = function (el) { return parseFloat(el.getAttribute("data-start")); };
  var sentenceStarts = sentences.map(startOf);
  var chapterStarts = chapters.map(startOf);
  var current = { sentence: -1, chapter: -1 };

  /* The last item starting at or before t (-1 before the first). */
  function indexAt(starts, t) {
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t + 1e-3) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function mark(list, key, i) {
    if (current[key] === i) { return false; }
    if (current[key] >= 0) { list[current[key]].removeAttribute("aria-current"); }
    current[key] = i;
    if (i >= 0) { list[i].setAttribute("aria-current", "true"); }
    return i >= 0;
  }

  function keepInView(el) {
    if (!body) { return; }
    var top = el.offsetTop, bottom = top + el.offsetHeight;
    if (top < body.scrollTop || bottom > body.scrollTop + body.clientHeight) {
      body.scrollTop = Math.max(0, top - body.clientHeight / 3);
    }
  }

  function update() {
    var t = video.currentTime;
    if (mark(sentences, "sentence", indexAt(sentenceStarts, t))) { keepInView(sentences[current.sentence]); }
    mark(chapters, "chapter", indexAt(chapterStarts, t));
  }

  var ticking = false;
  function tick() {
    update();
    if (!video.paused && !video.ended) { window.requestAnimationFrame(tick); } else { ticking = false; }
  }
  video.addEventListener("play", function () {
    if (!ticking) { ticking = true; window.requestAnimationFrame(tick); }
  });
  ["timeupdate", "seeked", "seeking", "loadedmetadata"].forEach(function (name) {
    video.addEventListener(name, update);
  });

  function seekTo(event) {
    video.currentTime = startOf(event.currentTarget);
    update();
    var playing = video.play();
    if (playing && playing.catch) { playing.catch(function () { /* playback needs a gesture: stay paused */ }); }
  }
  sentences.concat(chapters).forEach(function (el) { el.addEventListener("click", seekTo); });
  update();
}());
