/* The primary category is one of the post's categories: only ticked ones can be chosen.
 * (The server keeps the same rule: a primary category that is not ticked is added to them.)
 */
(function () {
  "use strict";

  function start() {
    var boxes = document.querySelectorAll("input[name=categories]");
    var primary = document.querySelector("select[name=primary_category]");
    if (!boxes.length || !primary) return;

    function update() {
      var ticked = {};
      boxes.forEach(function (box) { if (box.checked) ticked[box.value] = true; });
      Array.prototype.forEach.call(primary.options, function (option) {
        option.disabled = option.value !== "" && !ticked[option.value];
      });
      var chosen = primary.selectedOptions[0];
      if (chosen && chosen.disabled) {
        var first = Array.prototype.find.call(primary.options, function (option) {
          return option.value !== "" && !option.disabled;
        });
        primary.value = first ? first.value : "";
      } else if (!primary.value) {
        var firstTicked = Array.prototype.find.call(boxes, function (box) { return box.checked; });
        if (firstTicked) primary.value = firstTicked.value;
      }
    }

    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
