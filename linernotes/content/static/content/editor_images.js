/* Images on the writing screen: paste, drop, or pick from the media library.
 *
 * editor.js hands EasyMDE the options made here. An image pasted or dropped into the text is
 * uploaded to the media library (the server judges it: its type, bytes and pixels), a dialog
 * asks what it shows, and `![alt text](address)` goes in where the cursor was. The toolbar's
 * "Library" button opens a dialog of recent uploads (and an upload field); choosing one asks
 * for its alt text the same way. Messages go to the status bar under the text and to the
 * dialog, both live regions, so screen readers announce them. Everything is built with DOM
 * calls: the Content-Security-Policy allows no inline script or style.
 */
(function () {
  "use strict";

  var ACCEPT = "image/png,image/jpeg,image/gif,image/webp,image/avif";
  var STATUS = "upload-image";

  function csrfToken(form) {
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function say(editor, text) {
    editor.updateStatusBar(STATUS, text);
  }

  // --- The server: uploads and the library's list --------------------------------------

  function readAnswer(response) {
    return response
      .json()
      .catch(function () {
        return { error: "The server did not answer (" + response.status + ")." };
      })
      .then(function (answer) {
        if (!response.ok || answer.error) throw new Error(answer.error || "The upload failed.");
        return answer;
      });
  }

  function uploadFile(textarea, file) {
    var data = new FormData();
    data.append("file", file, file.name || "pasted-image.png");
    if (textarea.dataset.mediaPost) data.append("post", textarea.dataset.mediaPost);
    return fetch(textarea.dataset.mediaUploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(textarea.form), Accept: "application/json" },
    }).then(readAnswer);
  }

  function recentUploads(textarea) {
    return fetch(textarea.dataset.mediaLibraryUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(readAnswer);
  }

  // --- Putting the image into the text --------------------------------------------------

  function markdownFor(alt, url) {
    // Brackets and backslashes would end the alt text early; it is one line.
    var text = alt.replace(/\s+/g, " ").trim().replace(/([\\[\]])/g, "\\$1");
    return "![" + text + "](" + url + ")";
  }

  function insertAt(editor, at, alt, url) {
    var codemirror = editor.codemirror;
    var text = markdownFor(alt, url);
    codemirror.replaceRange(text, at);
    codemirror.focus();
    codemirror.setCursor({ line: at.line, ch: at.ch + text.length });
  }

  // One dialog at a time: several files dropped at once are described one after another.
  var queue = Promise.resolve();

  function describeAndInsert(editor, at, image) {
    queue = queue.then(function () {
      return askForAlt(image).then(function (alt) {
        if (alt === null) {
          say(editor, image.name + " is in the media library; it was not inserted.");
          editor.codemirror.focus();
          return;
        }
        insertAt(editor, at, alt, image.url);
        say(editor, "Inserted " + image.name + ".");
      });
    });
    return queue;
  }

  // EasyMDE's imageUploadFunction: called with the editor as `this` for each pasted or
  // dropped file. The Markdown is inserted here, once the alt text is known, rather than by
  // EasyMDE's onSuccess (which would insert an image without a description).
  function uploadImage(file, onSuccess, onError) {
    var editor = this;
    var at = editor.codemirror.getCursor();
    say(editor, "Uploading " + (file.name || "the image") + "\u2026");
    uploadFile(editor.element, file)
      .then(function (image) {
        say(editor, "Uploaded " + image.name + ". Describe it to insert it.");
        return describeAndInsert(editor, at, image);
      })
      .catch(function (problem) {
        onError(problem.message || "The upload failed.");
      });
  }

  // --- The alt text dialog --------------------------------------------------------------

  var altParts = null;

  function altDialog() {
    if (altParts) return altParts;
    var preview = element("img", { class: "media-dialog__preview", alt: "" });
    var input = element("input", {
      type: "text",
      id: "media-alt-text",
      class: "vTextField",
      maxlength: "300",
      required: "",
      "aria-describedby": "media-alt-help",
    });
    var decorative = element("input", { type: "checkbox", id: "media-alt-decorative" });
    var cancel = element("button", { type: "button", class: "button", text: "Cancel" });
    var form = element("form", { method: "dialog", class: "media-dialog__form" }, [
      element("h2", { id: "media-alt-title", text: "Describe the image" }),
      preview,
      element("label", { for: "media-alt-text", text: "Alt text" }),
      input,
      element("p", {
        id: "media-alt-help",
        class: "help",
        text:
          "What would a reader miss without the picture? Screen readers read this out " +
          "in its place.",
      }),
      element("p", { class: "media-dialog__check" }, [
        decorative,
        element("label", {
          for: "media-alt-decorative",
          text: "Decorative only: it adds nothing to the text",
        }),
      ]),
      element("div", { class: "media-dialog__buttons" }, [
        element("button", {
          type: "submit",
          value: "insert",
          class: "button default",
          text: "Insert image",
        }),
        cancel,
      ]),
    ]);
    var dialog = element(
      "dialog",
      { class: "media-dialog", "aria-labelledby": "media-alt-title" },
      [form]
    );
    decorative.addEventListener("change", function () {
      input.required = !decorative.checked;
      input.disabled = decorative.checked;
    });
    cancel.addEventListener("click", function () {
      dialog.close("cancel");
    });
    document.body.appendChild(dialog);
    altParts = { dialog: dialog, input: input, decorative: decorative, preview: preview };
    return altParts;
  }

  function askForAlt(image) {
    var parts = altDialog();
    parts.input.value = image.alt || "";
    parts.input.required = true;
    parts.input.disabled = false;
    parts.decorative.checked = false;
    parts.preview.src = image.thumbnail || image.url;
    parts.preview.width = 240;
    parts.preview.height = Math.max(1, Math.round((240 * image.height) / (image.width || 1)));
    return new Promise(function (resolve) {
      parts.dialog.addEventListener(
        "close",
        function () {
          if (parts.dialog.returnValue !== "insert") resolve(null);
          else resolve(parts.decorative.checked ? "" : parts.input.value);
        },
        { once: true }
      );
      parts.dialog.returnValue = "";
      parts.dialog.showModal();
      parts.input.focus();
    });
  }

  // --- The media library dialog ---------------------------------------------------------

  var libraryParts = null;

  function libraryDialog() {
    if (libraryParts) return libraryParts;
    var file = element("input", { type: "file", id: "media-library-file", accept: ACCEPT });
    var status = element("p", { class: "media-dialog__status", role: "status" });
    var grid = element("ul", { class: "media-grid", "aria-label": "Recent uploads" });
    var close = element("button", { type: "button", class: "button", text: "Close" });
    var dialog = element(
      "dialog",
      { class: "media-dialog media-dialog--library", "aria-labelledby": "media-library-title" },
      [
        element("h2", { id: "media-library-title", text: "Media library" }),
        element("p", { class: "media-dialog__upload" }, [
          element("label", { for: "media-library-file", text: "Upload an image" }),
          file,
        ]),
        status,
        grid,
        element("div", { class: "media-dialog__buttons" }, [close]),
      ]
    );
    close.addEventListener("click", function () {
      dialog.close();
    });
    document.body.appendChild(dialog);
    libraryParts = {
      dialog: dialog,
      file: file,
      status: status,
      grid: grid,
      editor: null,
      at: null,
    };
    file.addEventListener("change", uploadFromLibrary);
    return libraryParts;
  }

  function choose(image) {
    var parts = libraryParts;
    parts.dialog.close();
    describeAndInsert(parts.editor, parts.at, image);
  }

  function choiceFor(image) {
    var height = Math.max(1, Math.round((160 * image.height) / (image.width || 1)));
    var button = element("button", { type: "button", class: "media-grid__choice" }, [
      element("img", {
        src: image.thumbnail || image.url,
        alt: "",
        width: "160",
        height: String(height),
        loading: "lazy",
      }),
      element("span", { class: "media-grid__name", text: image.name }),
      element("span", { class: "media-grid__size", text: image.width + " \u00d7 " + image.height }),
    ]);
    button.addEventListener("click", function () {
      choose(image);
    });
    return element("li", {}, [button]);
  }

  function showUploads(parts, answer) {
    parts.grid.replaceChildren.apply(parts.grid, answer.files.map(choiceFor));
    var count = answer.files.length;
    parts.status.textContent = count
      ? count + (count === 1 ? " recent upload" : " recent uploads") + ". Choose one to insert it."
      : "No images have been uploaded yet.";
  }

  function uploadFromLibrary() {
    var parts = libraryParts;
    var file = parts.file.files[0];
    if (!file) return;
    parts.status.textContent = "Uploading " + file.name + "\u2026";
    uploadFile(parts.editor.element, file)
      .then(function (image) {
        parts.file.value = "";
        choose(image);
      })
      .catch(function (problem) {
        parts.file.value = "";
        parts.status.textContent = problem.message || "The upload failed.";
      });
  }

  function pick(editor) {
    var parts = libraryDialog();
    parts.editor = editor;
    parts.at = editor.codemirror.getCursor();
    parts.status.textContent = "Loading the media library\u2026";
    parts.dialog.showModal();
    recentUploads(editor.element)
      .then(function (answer) {
        showUploads(parts, answer);
      })
      .catch(function (problem) {
        parts.status.textContent = problem.message || "The media library did not load.";
      });
  }

  // --- What editor.js asks for ----------------------------------------------------------

  function editorOptions(textarea, options) {
    options.uploadImage = true;
    options.imageUploadFunction = uploadImage;
    options.imageAccept = ACCEPT;
    options.imageTexts = {
      sbInit: "",
      sbOnDragEnter: "Drop the image to upload it.",
      sbOnDrop: "Uploading #images_names#\u2026",
      sbProgress: "Uploading #file_name#: #progress#%",
      sbOnUploaded: "Uploaded #image_name#",
      sizeUnits: " B, KB, MB",
    };
    // Messages are in the status bar (a live region), not in alert boxes.
    options.errorCallback = function () {};
    options.status = options.status.concat([
      {
        className: STATUS,
        defaultValue: function (el) {
          el.setAttribute("aria-live", "polite");
          el.textContent = "";
        },
      },
    ]);
    return options;
  }

  window.LinerNotesImages = { editorOptions: editorOptions, pick: pick };
})();
