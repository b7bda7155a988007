// Parallax: the little the pages do with JavaScript. Every page is whole without it; this
// adds a theme switch, tabs for a story's versions on a narrow screen, and times in the
// reader's own zone and format.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem("parallax-theme"); } catch (e) { /* private mode */ }
  if (stored === "light" || stored === "dark") { root.dataset.theme = stored; }

  function currentTheme() {
    if (root.dataset.theme) { return root.dataset.theme; }
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function setUpTheme() {
    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    var label = function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      button.textContent = next === "dark" ? "Dark theme" : "Light theme";
      button.setAttribute("aria-pressed", currentTheme() === "dark" ? "true" : "false");
    };
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      root.dataset.theme = currentTheme() === "dark" ? "light" : "dark";
      try { localStorage.setItem("parallax-theme", root.dataset.theme); } catch (e) { /* private mode */ }
      label();
    });
  }

  // Versions side by side on a wide screen; on a narrow one, one at a time behind tabs.
  function setUpTabs() {
    var box = document.querySelector(".versions");
    if (!box) { return; }
    var panels = Array.prototype.slice.call(box.querySelectorAll(":scope > .version"));
    if (panels.length < 2) { return; }
    var list = document.createElement("div");
    list.className = "version-tabs";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Versions");
    var tabs = panels.map(function (panel, i) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = "tab-" + panel.id;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      var outlet = panel.querySelector(".outlet a");
      tab.textContent = outlet ? outlet.textContent : "Version " + (i + 1);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      tab.addEventListener("click", function () { select(i, false); });
      tab.addEventListener("keydown", function (event) {
        var step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
        if (step) { event.preventDefault(); select((i + step + panels.length) % panels.length, true); }
      });
      list.appendChild(tab);
      return tab;
    });
    function select(n, focus) {
      panels.forEach(function (panel, i) {
        var on = i === n;
        panel.classList.toggle("active", on);
        tabs[i].setAttribute("aria-selected", on ? "true" : "false");
        tabs[i].tabIndex = on ? 0 : -1;
      });
      if (focus) { tabs[n].focus(); }
    }
    box.classList.add("tabbed");
    box.parentNode.insertBefore(list, box);
    // A link to a version ("#v12" from the analysis) opens its tab.
    function follow() {
      var target = location.hash && document.getElementById(location.hash.slice(1));
      var panel = target && target.closest(".version");
      var n = panel ? panels.indexOf(panel) : -1;
      if (n >= 0) { select(n, false); }
      return n;
    }
    window.addEventListener("hashchange", follow);
    if (follow() < 0) { select(0, false); }
  }

  // "5 Nov 2026, 17:00 UTC" becomes the reader's own date and time.
  function localTimes() {
    if (!window.Intl || !Intl.DateTimeFormat) { return; }
    var format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime()) || el.dataset.local) { continue; }
      var prefix = (el.textContent.match(/^(Latest|First seen) /) || [""])[0];
      el.title = el.textContent;
      el.textContent = prefix + format.format(when);
      el.dataset.local = "1";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpTheme();
    setUpTabs();
    localTimes();
  });
})();
