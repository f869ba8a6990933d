// Progressive enhancement for report pages; everything works without it.
// 1. The journey navigator marks the stop being read (aria-current="step")
//    and the stops already passed.
// 2. Following a stop link moves focus to the stop.
// 3. The language switcher keeps the reader's place: /en/x/#stop-3 leads
//    to /zh/x/#stop-3 (the fragment, else the stop being read).
(function () {
  "use strict";
  var current = null;

  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[hreflang]");
    if (!a) return;
    var h = location.hash;
    if (!/^#stop-\d+$/.test(h)) h = current ? "#" + current : "";
    if (h) a.href = a.href.split("#")[0] + h;
  });

  // The next Tab continues at the stop; a screen reader reads its heading.
  function focusStop() {
    var s = /^#stop-\d+$/.test(location.hash) && document.getElementById(location.hash.slice(1));
    if (!s) return;
    if (!s.hasAttribute("tabindex")) s.setAttribute("tabindex", "-1");
    s.focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", focusStop);

  var links = document.querySelectorAll(".journey a[href^='#stop-']");
  if (!links.length || !("IntersectionObserver" in window)) return;
  var visible = {};

  function mark(id) {
    if (id === current) return;
    current = id;
    var passed = id !== null, cur = null;
    links.forEach(function (a) {
      if (a.hash.slice(1) === id) {
        a.setAttribute("aria-current", "step");
        passed = false;
        cur = a;
      } else {
        a.removeAttribute("aria-current");
      }
      a.parentNode.classList.toggle("passed", passed);
    });
    // On phones the route is a scrolling strip: bring the stop into view,
    // and back to its start above the first stop.
    var strip = links[0].closest("ol");
    if (strip && strip.scrollWidth > strip.clientWidth) {
      strip.scrollLeft = cur ? strip.scrollLeft + cur.parentNode.getBoundingClientRect().left - strip.getBoundingClientRect().left - 16 : 0;
    }
  }

  // The stop being read is the last one reaching into the top 15% of the
  // window; above the first stop, none is. At the end of the page, a short
  // last stop that cannot reach that line is read once its heading shows.
  function update() {
    var end = innerHeight + scrollY >= document.documentElement.scrollHeight - 2;
    for (var i = links.length - 1; i >= 0; i--) {
      var id = links[i].hash.slice(1), s = document.getElementById(id);
      if (visible[id] || (end && s && s.getBoundingClientRect().top < innerHeight)) return mark(id);
    }
    mark(null);
  }
  var io = new IntersectionObserver(function (entries) {
    entries.forEach(function (en) { visible[en.target.id] = en.isIntersecting; });
    update();
  }, { rootMargin: "0px 0px -85% 0px" });
  addEventListener("scroll", update, { passive: true });

  links.forEach(function (a) {
    var s = document.getElementById(a.hash.slice(1));
    if (s) io.observe(s);
  });
})();
