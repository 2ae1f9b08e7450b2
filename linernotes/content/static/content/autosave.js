/* Autosave on the writing screen of a saved post or page.
 *
 * A few seconds after the writer stops typing (and at least every half minute while they
 * type), the title, summary and body go to the server as the writer's autosave revision; the
 * post itself is untouched until they press Save. Reopening the form offers an autosave that
 * is newer than the last save. If someone else saved the post since this form was opened,
 * the answer says so and a warning stays on the page: saving would be refused.
 */
(function () {
  "use strict";

  var QUIET_MS = 3000;
  var LONGEST_MS = 30000;
  var FIELDS = ["title", "summary"];

  function Autosave(textarea, editor) {
    this.textarea = textarea;
    this.editor = editor;
    this.form = textarea.form;
    this.url = textarea.dataset.autosaveUrl;
    this.timer = null;
    this.firstChange = 0;
    this.saving = false;
    this.again = false;
    this.notice = this.makeNotice();
  }

  Autosave.prototype.token = function () {
    var field = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };

  Autosave.prototype.state = function (text) {
    var element = this.editor.gui.statusbar.querySelector(".autosave-state");
    if (element) element.textContent = text;
  };

  Autosave.prototype.makeNotice = function () {
    var notice = document.createElement("div");
    notice.className = "autosave-notice";
    notice.hidden = true;
    this.editor.gui.toolbar.parentNode.insertBefore(notice, this.editor.gui.toolbar);
    return notice;
  };

  Autosave.prototype.show = function (role, text, buttons) {
    var notice = this.notice;
    notice.innerHTML = "";
    notice.setAttribute("role", role);
    notice.className = "autosave-notice autosave-notice--" + role;
    var message = document.createElement("p");
    message.textContent = text;
    notice.appendChild(message);
    (buttons || []).forEach(function (button) {
      var element = document.createElement("button");
      element.type = "button";
      element.className = "button";
      element.textContent = button[0];
      element.addEventListener("click", button[1]);
      notice.appendChild(element);
    });
    notice.hidden = false;
  };

  Autosave.prototype.changed = function () {
    var self = this;
    var now = Date.now();
    if (!this.firstChange) this.firstChange = now;
    window.clearTimeout(this.timer);
    var wait = Math.min(QUIET_MS, Math.max(0, this.firstChange + LONGEST_MS - now));
    this.timer = window.setTimeout(function () { self.save(); }, wait);
    this.state("Changes not saved yet");
  };

  Autosave.prototype.data = function () {
    var data = new FormData();
    var form = this.form;
    data.append("body", this.editor.value());
    FIELDS.forEach(function (name) {
      if (form.elements[name]) data.append(name, form.elements[name].value);
    });
    if (form.elements.seen_version) data.append("seen_version", form.elements.seen_version.value);
    return data;
  };

  Autosave.prototype.save = function () {
    var self = this;
    if (this.saving) {
      this.again = true;
      return Promise.resolve();
    }
    this.saving = true;
    this.firstChange = 0;
    this.state("Saving\u2026");
    return this.request("POST", this.url, this.data())
      .then(function (answer) {
        self.state("Autosaved at " + answer.saved_at);
        if (answer.conflict) self.show("alert", answer.conflict);
      })
      .catch(function (problem) {
        self.state("Not autosaved: " + problem.message);
      })
      .then(function () {
        self.saving = false;
        if (self.again) {
          self.again = false;
          self.save();
        }
      });
  };

  Autosave.prototype.request = function (method, url, body) {
    return fetch(url, {
      method: method,
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": this.token(), Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.error || "the server said " + response.status);
        return answer;
      });
    });
  };

  Autosave.prototype.offer = function () {
    var self = this;
    this.request("GET", this.url).then(function (answer) {
      if (!answer.fields) return;
      var when = new Date(answer.saved_at).toLocaleString();
      self.show("region", "You have changes from " + when + " that were not saved.", [
        ["Restore them", function () { self.restore(answer.fields); }],
        ["Discard them", function () { self.discard(); }],
      ]);
      self.notice.setAttribute("aria-label", "Unsaved changes");
    }).catch(function () { /* nothing to offer */ });
  };

  Autosave.prototype.restore = function (fields) {
    var form = this.form;
    FIELDS.forEach(function (name) {
      if (form.elements[name] && name in fields) form.elements[name].value = fields[name];
    });
    this.editor.value(fields.body || "");
    this.notice.hidden = true;
    this.state("Unsaved changes restored");
    this.editor.codemirror.focus();
  };

  Autosave.prototype.discard = function () {
    var self = this;
    this.request("POST", this.url + "discard/", new FormData()).then(function () {
      self.notice.hidden = true;
      self.state("Unsaved changes discarded");
    });
  };

  Autosave.prototype.start = function () {
    var self = this;
    this.editor.codemirror.on("change", function () { self.changed(); });
    FIELDS.forEach(function (name) {
      var field = self.form.elements[name];
      if (field) field.addEventListener("input", function () { self.changed(); });
    });
    // Pressing Save saves everything: a pending autosave would only repeat it.
    this.form.addEventListener("submit", function () { window.clearTimeout(self.timer); });
    this.offer();
  };

  function start() {
    document.querySelectorAll("textarea[data-autosave-url]").forEach(function (textarea) {
      if (textarea.linernotesEditor) new Autosave(textarea, textarea.linernotesEditor).start();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
