/* The byline editor: the post's authors as a list that keeps its order.
 *
 * Drag an author by its handle, or use its "Move up" / "Move down" buttons from the keyboard;
 * the hidden position fields are numbered in the order shown, which is the order the byline
 * prints. Without this script the position fields stay visible and are typed by hand.
 */
(function () {
  "use strict";

  var GROUP = "#bylines-group";

  function rows(group) {
    return Array.prototype.filter.call(
      group.querySelectorAll(".inline-related"),
      function (row) { return !row.classList.contains("empty-form") && row.id; }
    );
  }

  function authorName(row) {
    var select = row.querySelector("select[name$='-author']");
    var option = select && select.selectedOptions[0];
    return option && option.value ? option.textContent : "this author";
  }

  function renumber(group) {
    rows(group).forEach(function (row, index) {
      var position = row.querySelector("input[name$='-position']");
      if (position) position.value = String(index);
      row.querySelectorAll("[data-move]").forEach(function (button) {
        var up = button.dataset.move === "up";
        button.setAttribute("aria-label", (up ? "Move " : "Move ") + authorName(row) + (up ? " up" : " down"));
      });
    });
    var list = rows(group);
    list.forEach(function (row, index) {
      var up = row.querySelector("[data-move=up]");
      var down = row.querySelector("[data-move=down]");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === list.length - 1;
    });
  }

  function announce(group, text) {
    var status = group.querySelector(".bylines-status");
    if (status) status.textContent = text;
  }

  function move(group, row, offset) {
    var list = rows(group);
    var index = list.indexOf(row);
    var target = list[index + offset];
    if (!target) return;
    if (offset < 0) target.parentNode.insertBefore(row, target);
    else target.parentNode.insertBefore(row, target.nextSibling);
    renumber(group);
    announce(group, authorName(row) + " is now number " + (list.indexOf(target) + 1) + " on the byline.");
  }

  function button(text, direction) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "byline-move";
    element.dataset.move = direction;
    element.textContent = text;
    return element;
  }

  function equip(group, row) {
    if (row.querySelector(".byline-controls")) return;
    var controls = document.createElement("div");
    controls.className = "byline-controls";
    var handle = document.createElement("span");
    handle.className = "byline-handle";
    handle.setAttribute("aria-hidden", "true");
    handle.title = "Drag to reorder";
    handle.textContent = "\u2630";
    var up = button("\u2191", "up");
    var down = button("\u2193", "down");
    up.addEventListener("click", function () { move(group, row, -1); up.focus(); });
    down.addEventListener("click", function () { move(group, row, 1); down.focus(); });
    controls.append(handle, up, down);
    row.insertBefore(controls, row.firstChild);
    row.draggable = true;
    row.addEventListener("dragstart", function (event) {
      group.dragged = row;
      row.classList.add("byline--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("byline--dragging");
      group.dragged = null;
      renumber(group);
    });
    row.addEventListener("dragover", function (event) {
      var dragged = group.dragged;
      if (!dragged || dragged === row) return;
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    });
    var select = row.querySelector("select[name$='-author']");
    if (select) select.addEventListener("change", function () { renumber(group); });
  }

  function start() {
    var group = document.querySelector(GROUP);
    if (!group) return;
    group.classList.add("bylines--sortable");
    var status = document.createElement("p");
    status.className = "bylines-status visually-hidden";
    status.setAttribute("role", "status");
    group.appendChild(status);
    rows(group).forEach(function (row) { equip(group, row); });
    renumber(group);
    // Django's inline script announces rows it adds ("Add another author").
    document.addEventListener("formset:added", function (event) {
      if (event.target && group.contains(event.target)) {
        equip(group, event.target);
        renumber(group);
      }
    });
    var form = group.closest("form");
    if (form) form.addEventListener("submit", function () { renumber(group); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
