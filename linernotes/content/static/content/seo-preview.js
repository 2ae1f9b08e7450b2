/* The search result and social card previews of a post, redrawn as its fields change.
 *
 * The server draws them first (content/admin_seo.py, with the rules of content/seo_fields.py
 * that the published page follows); this repeats those rules for what is typed:
 * - title: the meta title as written, else "Post title · Site" (the site named once);
 * - social card title: the meta title, else the post's title;
 * - description: the meta description, else the excerpt (the summary, else the automatic
 *   excerpt of the body as last saved) cut at a word, else the site's tagline;
 * - image: the social image, else the hero image.
 * A length past the advised one is announced once, politely, when it is first passed.
 */
(function () {
  "use strict";

  var ELLIPSIS = "\u2026";
  var TRAILING = " ,;:.-\u2013\u2014([{";

  function clean(text) {
    return (text || "").replace(/\s+/gu, " ").trim();
  }

  function length(text) {
    return Array.from(text).length;
  }

  // content.text.cut_at_word: at most `limit` characters, cut at a word, with an ellipsis.
  function cutAtWord(text, limit) {
    var flat = clean(text);
    var chars = Array.from(flat);
    if (chars.length <= limit) return flat;
    var cut = chars.slice(0, limit + 1).join("");
    var boundary = cut.lastIndexOf(" ");
    cut = boundary > 0 ? cut.slice(0, boundary) : chars.slice(0, limit).join("");
    var end = cut.length;
    while (end > 0 && TRAILING.indexOf(cut.charAt(end - 1)) !== -1) end -= 1;
    return cut.slice(0, end) + ELLIPSIS;
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function start() {
    var root = document.querySelector("[data-seo-preview]");
    if (!root) return;
    var data = root.dataset;
    var limits = {
      title: Number(data.titleLimit),
      description: Number(data.descriptionLimit),
      excerpt: Number(data.excerptLimit)
    };
    var named = new RegExp(
      "(?<![\\p{L}\\p{N}_])" + escapeRegExp(data.siteName) + "(?![\\p{L}\\p{N}_])", "iu"
    );

    function field(name) {
      return document.getElementById("id_" + name);
    }
    function value(name) {
      var input = field(name);
      return input ? clean(input.value) : null;
    }
    function part(name) {
      return root.querySelector("[data-seo-" + name + "]");
    }
    // Someone who may only look at the post gets the preview as drawn, with nothing to type.
    if (!field("meta_title")) return;

    // content.seo_fields.compose_title, for one part.
    function composeTitle(title) {
      var parts = title ? [title] : [];
      if (!named.test(parts.join(data.separator))) parts.push(data.siteName);
      return parts.join(data.separator);
    }

    var chosen = {};  // data: URLs of images picked in the form and not saved yet
    function watchImage(name) {
      var input = field(name);
      if (!input) return;
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (!file || !/^image\//.test(file.type)) {
          delete chosen[name];
          update();
          return;
        }
        var reader = new FileReader();
        reader.addEventListener("load", function () {
          chosen[name] = String(reader.result);
          update();
        });
        reader.readAsDataURL(file);
      });
    }

    function image(name, saved) {
      if (chosen[name]) return { url: chosen[name], alt: value(name + "_alt") || "" };
      var clear = document.getElementById(name + "-clear_id");
      if (!saved || (clear && clear.checked)) return null;
      return { url: saved, alt: value(name + "_alt") || "" };
    }

    var announced = {};
    function warn(name, text, over) {
      var status = part(name + "-warning");
      if (!status) return;
      // Said once when the length is first passed, not again at every character typed.
      if (over && !announced[name]) status.textContent = text;
      if (!over) status.textContent = "";
      announced[name] = over;
    }

    function update() {
      var metaTitle = value("meta_title");
      var postTitle = value("title");
      var metaDescription = value("meta_description");
      var summary = value("summary");
      var title = metaTitle || composeTitle(postTitle || "");
      var cardTitle = metaTitle || postTitle || "";
      var excerpt = summary || clean(data.excerpt);
      var description =
        metaDescription || cutAtWord(excerpt, limits.excerpt) || clean(data.tagline);
      var snippet = cutAtWord(description, limits.description);

      part("title").textContent = title;
      part("snippet").textContent = snippet;
      part("card-title").textContent = cardTitle;
      part("card-description").textContent = snippet;

      var canonical = value("canonical_url");
      if (canonical !== null) {
        part("canonical").textContent = canonical;
        part("canonical-note").hidden = !canonical;
      }

      var picture = image("social_image", data.socialImage) || image("hero_image", data.heroImage);
      var img = part("image");
      if (picture) {
        if (img.getAttribute("src") !== picture.url) img.src = picture.url;
        img.alt = picture.alt;
      }
      img.hidden = !picture;
      part("no-image").hidden = Boolean(picture);

      var titleLength = length(title);
      var descriptionLength = length(description);
      part("title-length").textContent =
        "The title has " + titleLength + " character" + (titleLength === 1 ? "" : "s") +
        "; search results show about " + limits.title + ".";
      part("description-length").textContent =
        "The description has " + descriptionLength + " character" +
        (descriptionLength === 1 ? "" : "s") + "; search results show about " +
        limits.description + ".";
      warn(
        "title",
        "Longer than " + limits.title + " characters: search results may cut the title short.",
        titleLength > limits.title
      );
      warn(
        "description",
        "Longer than " + limits.description +
          " characters: search results may cut the description short.",
        descriptionLength > limits.description
      );
    }

    // Each field is described by its count, so a screen reader hears it with the field.
    [["meta_title", "seo-title-length"], ["meta_description", "seo-description-length"]]
      .forEach(function (pair) {
        var input = field(pair[0]);
        if (!input) return;
        var described = (input.getAttribute("aria-describedby") || "").split(/\s+/);
        if (described.indexOf(pair[1]) === -1) described.push(pair[1]);
        input.setAttribute("aria-describedby", described.join(" ").trim());
      });

    ["title", "meta_title", "summary", "meta_description", "canonical_url",
     "social_image_alt", "hero_image_alt"].forEach(function (name) {
      var input = field(name);
      if (input) input.addEventListener("input", update);
    });
    ["social_image-clear_id", "hero_image-clear_id"].forEach(function (id) {
      var box = document.getElementById(id);
      if (box) box.addEventListener("change", update);
    });
    watchImage("social_image");
    watchImage("hero_image");
    // What the page was drawn with is already announced as it stands.
    announced.title = Boolean(part("title-warning") && part("title-warning").textContent);
    announced.description = Boolean(
      part("description-warning") && part("description-warning").textContent
    );
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
