// rapportsok's page works without this file. With it: results follow the query as it
// is typed, facet and paging links swap the results in place (the scroll stays), the
// order takes effect when chosen, and back/forward restore earlier states.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var input = document.getElementById("q");
  var pending = null;
  var timer = null;

  function formUrl() {
    var data = new FormData(form);
    var params = new URLSearchParams();
    data.forEach(function (v, k) {
      if (String(v).trim() !== "" && !(k === "sortering" && v === "relevans")) { params.append(k, v); }
    });
    var q = params.toString();
    return "/sok" + (q ? "?" + q : "");
  }

  // After a swap: the new count is announced, and after a click the focus moves to it
  // (the clicked link is gone), without scrolling.
  function settle(moveFocus) {
    var count = document.getElementById("count");
    var live = document.getElementById("live");
    if (count && live) { live.textContent = count.textContent; }
    if (count && moveFocus) { count.focus({ preventScroll: true }); }
  }

  function swap(url, push, moveFocus) {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    return fetch(url, { signal: pending.signal, headers: { "Accept": "text/html" } })
      .then(function (res) { return res.text().then(function (t) { return [res, t]; }); })
      .then(function (pair) {
        var doc = new DOMParser().parseFromString(pair[1], "text/html");
        var fresh = doc.getElementById("results");
        var old = document.getElementById("results");
        if (!fresh || !old) { window.location.href = url; return; }
        old.replaceWith(fresh);
        var hidden = doc.getElementById("hidden-filters");
        var oldHidden = document.getElementById("hidden-filters");
        if (hidden && oldHidden) { oldHidden.replaceWith(hidden); }
        document.title = doc.title;
        settle(moveFocus);
        if (push) { history.pushState({ url: url }, "", url); }
        else { history.replaceState({ url: url }, "", url); }
      })
      .catch(function (e) { if (e.name !== "AbortError") { window.location.href = url; } });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { swap(formUrl(), false); }, 250);
  });
  var sort = document.getElementById("sortering");
  if (sort) { sort.addEventListener("change", function () { swap(formUrl(), true); }); }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    swap(formUrl(), true, true);
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[href]") : null;
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0 || a.hasAttribute("download")) { return; }
    if ((a.getAttribute("href") || "").charAt(0) === "#") { return; }
    var url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname !== "/sok") { return; }
    if (!a.closest("#results")) { return; }
    e.preventDefault();
    var q = new URLSearchParams(url.search).get("q") || "";
    if (input.value !== q) { input.value = q; }
    swap(url.pathname + url.search, true, true);
  });
  window.addEventListener("popstate", function (e) {
    var url = (e.state && e.state.url) || (window.location.pathname + window.location.search);
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q;
    swap(url, false);
  });
})();
