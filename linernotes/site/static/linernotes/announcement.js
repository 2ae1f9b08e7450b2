// The announcement bar: a reader may dismiss it, and it stays away for them until the text
// changes. Remembered in localStorage (never sent to the server, so no cookie); without this
// script the bar is simply shown, without its button.
(function () {
  "use strict";
  var root = document.documentElement;
  var key = root.getAttribute("data-announcement");
  var storageKey = "linernotes:announcement-dismissed";

  function remembered() {
    try {
      return window.localStorage.getItem(storageKey);
    } catch (error) {
      return null; // Storage turned off: the bar shows, and dismissing lasts for the page.
    }
  }

  // Run from the head, before the bar is drawn, so a dismissed bar never flashes.
  if (key && remembered() === key) root.classList.add("announcement-dismissed");

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".announcement__dismiss");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      try {
        window.localStorage.setItem(storageKey, key);
      } catch (error) {
        // Not remembered; still hidden for this page.
      }
      root.classList.add("announcement-dismissed");
      // The button is gone with the bar: keep the keyboard's place at the top of the page.
      var main = document.getElementById("main");
      if (main && document.activeElement === button) main.focus({ preventScroll: true });
    });
  });
})();
