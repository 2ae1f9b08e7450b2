/* The writing screen: EasyMDE on the body field, with previews rendered by the server.
 *
 * The preview pane shows the page exactly as the site renders it (the same Markdown pipeline
 * and templates), in a sandboxed frame, a moment after typing stops. Everything that would
 * reach another host (spell-check dictionaries, icon fonts) is off: the admin works offline
 * and under the site's Content-Security-Policy. Without this script the body stays a textarea.
 */
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 400;

  // Toolbar buttons: [EasyMDE action, label, text shown]. Each label contains the words shown
  // (WCAG's "label in name"), so speech users can say what they see. EasyMDE adds each one's keyboard
  // shortcut to its title (Ctrl+B bold, Ctrl+I italic, Ctrl+H heading, Ctrl+Alt+C code,
  // Ctrl+L list, Ctrl+K link, F9 preview beside the text, F11 distraction-free).
  var BUTTONS = [
    ["bold", "Bold", "B"],
    ["italic", "Italic", "I"],
    ["heading", "Heading", "H"],
    "|",
    ["code", "Code block", "</>"],
    ["quote", "Quote", "\u201c"],
    ["unordered-list", "Bulleted list", "\u2022"],
    ["ordered-list", "1. Numbered list", "1."],
    "|",
    ["link", "Link", "Link"],
    ["image", "Image", "Image"],
    ["media-library", "Pick from the media library", "Library"],
    ["table", "Table", "Table"],
    "|",
    ["side-by-side", "Preview beside the text", "Preview"],
    ["fullscreen", "Focus: distraction-free writing", "Focus"],
    ["guide", "Markdown guide", "?"],
  ];

  // The frame may run no scripts (its sandbox says so), so the page's own are left out rather
  // than refused one by one in the console.
  function withoutScripts(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("script").forEach(function (script) {
      script.remove();
    });
    return "<!DOCTYPE html>\n" + doc.documentElement.outerHTML;
  }

  function toolbar() {
    return BUTTONS.map(function (button) {
      if (button === "|") return "|";
      return {
        name: button[0],
        action: actionFor(button[0]),
        text: button[2],
        title: button[1],
        className: "editor-button editor-button--" + button[0],
        noDisable: button[0] === "side-by-side" || button[0] === "fullscreen",
      };
    });
  }

  function actionFor(name) {
    var actions = {
      bold: EasyMDE.toggleBold,
      italic: EasyMDE.toggleItalic,
      heading: EasyMDE.toggleHeadingSmaller,
      code: EasyMDE.toggleCodeBlock,
      quote: EasyMDE.toggleBlockquote,
      "unordered-list": EasyMDE.toggleUnorderedList,
      "ordered-list": EasyMDE.toggleOrderedList,
      link: EasyMDE.drawLink,
      image: EasyMDE.drawImage,
      "media-library": pickFromLibrary,
      table: EasyMDE.drawTable,
      "side-by-side": EasyMDE.toggleSideBySide,
      fullscreen: EasyMDE.toggleFullScreen,
      guide: "https://commonmark.org/help/",
    };
    return actions[name];
  }

  // Images: pasted or dropped ones are uploaded to the media library, and "Library" picks
  // one; editor_images.js does both. Without it, or for someone who may not upload (no
  // upload address on the textarea), the editor is as it was and "Library" is left out.
  function imagesFor(textarea) {
    return window.LinerNotesImages && textarea.dataset.mediaUploadUrl
      ? window.LinerNotesImages
      : null;
  }

  function withImages(textarea, options) {
    var images = imagesFor(textarea);
    if (images) return images.editorOptions(textarea, options);
    options.toolbar = options.toolbar.filter(function (button) {
      return button.name !== "media-library";
    });
    return options;
  }

  function pickFromLibrary(editor) {
    if (imagesFor(editor.element)) window.LinerNotesImages.pick(editor);
  }

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function objectId() {
    // The change form's address ends in /<id>/change/; the add form has none yet.
    var match = window.location.pathname.match(/\/([^/]+)\/change\/$/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function Previewer(textarea, status) {
    this.form = textarea.form;
    this.url = textarea.dataset.previewUrl;
    this.status = status;
    this.timer = null;
    this.sent = null;
    this.controller = null;
    this.frame = null;
  }

  Previewer.prototype.schedule = function (text, pane) {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      self.fetch(text, pane);
    }, PREVIEW_DELAY_MS);
    if (!this.frame || !pane.contains(this.frame)) {
      pane.innerHTML = "";
      this.frame = document.createElement("iframe");
      this.frame.className = "editor-preview-frame";
      this.frame.title = "Preview of the page as readers will see it";
      // No scripts run in the preview; same-origin only so the theme's stylesheet loads.
      this.frame.setAttribute("sandbox", "allow-same-origin");
      this.frame.addEventListener("load", keepPlace);
      pane.appendChild(this.frame);
    }
    return null; // EasyMDE leaves the pane as it is: the frame is filled when the page comes
  };

  Previewer.prototype.fetch = function (text, pane) {
    var self = this;
    var fields = ["title", "summary", "external_url"];
    var key = JSON.stringify([text].concat(fields.map(function (name) {
      var field = self.form.elements[name];
      return field ? field.value : "";
    })));
    if (key === this.sent) return;
    this.sent = key;
    if (this.controller) this.controller.abort();
    this.controller = new AbortController();
    var data = new FormData();
    data.append("body", text);
    data.append("object_id", objectId());
    fields.forEach(function (name) {
      var field = self.form.elements[name];
      if (field) data.append(name, field.value);
    });
    this.status.set("preview-state", "Updating preview\u2026");
    fetch(this.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(this.form), Accept: "application/json" },
      signal: this.controller.signal,
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) throw new Error(answer.error || "The preview failed.");
          return answer;
        });
      })
      .then(function (answer) {
        if (self.frame) {
          var view = self.frame.contentWindow;
          self.frame.dataset.scrollY = view && view.scrollY ? String(view.scrollY) : "";
          self.frame.srcdoc = withoutScripts(answer.html);
        }
        self.status.counts(answer.words, answer.minutes);
        self.status.set("preview-state", "Preview up to date");
      })
      .catch(function (problem) {
        if (problem.name === "AbortError") return;
        self.sent = null;
        self.status.set("preview-state", problem.message || "The preview failed.");
      });
  };

  // A new version of the page keeps the place the writer scrolled to; the first one opens at
  // the article rather than the site's header.
  function keepPlace(event) {
    var frame = event.target;
    var view = frame.contentWindow;
    var article = frame.contentDocument && frame.contentDocument.querySelector("article");
    if (!view) return;
    if (frame.dataset.scrollY) view.scrollTo(0, Number(frame.dataset.scrollY));
    else if (article) view.scrollTo(0, Math.max(0, article.offsetTop - 16));
  }

  function Status(editor) {
    this.editor = editor;
  }

  Status.prototype.set = function (item, text) {
    var element = this.editor.gui.statusbar.querySelector("." + item);
    if (element) element.textContent = text;
  };

  Status.prototype.counts = function (words, minutes) {
    this.set("word-count", words + (words === 1 ? " word" : " words"));
    this.set("reading-time", minutes + " min read");
  };

  function upgrade(textarea) {
    var label = document.querySelector("label[for='" + textarea.id + "']");
    var status = null;
    var previewer = null;
    var editor = new EasyMDE(withImages(textarea, {
      element: textarea,
      autoDownloadFontAwesome: false,
      spellChecker: false,
      nativeSpellcheck: true,
      inputStyle: "contenteditable",
      forceSync: true,
      indentWithTabs: false,
      tabSize: 4,
      minHeight: "28rem",
      sideBySideFullscreen: false,
      // A post not saved yet has no revisions: its text is kept in the browser until the
      // form is sent (saved posts autosave to the server, autosave.js).
      autosave: textarea.dataset.autosaveUrl
        ? undefined
        : { enabled: true, uniqueId: "linernotes" + window.location.pathname, delay: 3000 },
      toolbar: toolbar(),
      status: [
        { className: "word-count", defaultValue: function (el) { el.textContent = ""; } },
        { className: "reading-time", defaultValue: function (el) { el.textContent = ""; } },
        {
          className: "preview-state",
          defaultValue: function (el) { el.setAttribute("aria-live", "polite"); },
        },
        { className: "autosave-state", defaultValue: function (el) { el.textContent = ""; } },
      ],
      previewRender: function (text, pane) {
        return previewer ? previewer.schedule(text, pane) : "";
      },
    }));
    status = new Status(editor);
    previewer = new Previewer(textarea, status);
    var codemirror = editor.codemirror;
    codemirror.setOption("screenReaderLabel", label ? label.textContent.replace(/:$/, "") : "Body");
    // EasyMDE leaves its buttons out of the tab order; writers on a keyboard need them too.
    var bar = editor.gui.toolbar;
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Formatting");
    bar.querySelectorAll("button").forEach(function (button) {
      button.tabIndex = 0;
    });
    // Side by side on a wide screen; stacked (CSS) on a narrow one.
    if (window.matchMedia("(min-width: 1100px)").matches) EasyMDE.toggleSideBySide(editor);
    previewer.fetch(editor.value(), editor.gui.sideBySide);
    return editor;
  }

  function start() {
    if (typeof EasyMDE === "undefined") return;
    document.querySelectorAll("textarea[data-markdown-editor]").forEach(function (textarea) {
      textarea.linernotesEditor = upgrade(textarea);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
