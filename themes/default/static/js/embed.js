// ::: embed frames load on demand.
document.querySelectorAll("figure.embed").forEach(function (f) {
  var b = f.querySelector(".embed-load"), s = f.dataset.embedSrc;
  if (!b || !/^https:/.test(s)) return;
  b.hidden = false;
  b.onclick = function () {
    var i = document.createElement("iframe");
    i.src = s;
    i.title = f.dataset.embedTitle;
    i.allowFullscreen = true;
    f.querySelector(".embed-facade").replaceChildren(i);
    i.focus();
  };
});
