// Progressive enhancement of the theme. Every page works without this script; with it:
// - the header's search and links fold behind a menu button on narrow screens;
// - code blocks get a copy button, and wide code blocks and tables can be scrolled from the
//   keyboard;
// - the home page's "Load More" and category filter update the list in place.
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  // The header's menu button (hidden in the HTML, shown here once it works). The stylesheet
  // folds the menu away only on narrow screens, and only once the header is marked collapsible.
  function enhanceMenu() {
    const toggle = document.querySelector(".site-menu-toggle");
    const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    const header = toggle.closest(".site-header");
    const isOpen = function () { return toggle.getAttribute("aria-expanded") === "true"; };
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", String(open));
      header.classList.toggle("site-header--open", open);
    }
    toggle.addEventListener("click", function () { setOpen(!isOpen()); });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !isOpen()) return;
      const focusWasInside = menu.contains(document.activeElement);
      setOpen(false);
      if (focusWasInside) toggle.focus();
    });
    toggle.hidden = false;
    header.classList.add("site-header--collapsible");
  }

  // One polite live region for the page's short announcements ("Copied").
  let announcer = null;
  function announce(message) {
    if (!announcer) {
      announcer = document.createElement("p");
      announcer.className = "visually-hidden";
      announcer.setAttribute("role", "status");
      announcer.setAttribute("aria-live", "polite");
      (document.getElementById("main") || document.body).append(announcer);
    }
    // Emptied first, so the same message twice in a row is announced twice.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  // The code as written, without the line numbers Pygments puts inside it.
  function codeText(pre) {
    const copy = pre.cloneNode(true);
    copy.querySelectorAll(".linenos").forEach(function (number) { number.remove(); });
    return copy.textContent.replace(/\n$/, "");
  }

  // Without the asynchronous clipboard (an older browser, or a page served over plain HTTP),
  // the code is selected and copied the old way; if even that fails, it stays selected.
  function copyBySelection(pre) {
    const range = document.createRange();
    range.selectNodeContents(pre.querySelector("code") || pre);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    if (copied) selection.removeAllRanges();
    return copied;
  }

  async function copyCode(button, pre) {
    let copied = false;
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(codeText(pre));
        copied = true;
      } catch (error) {
        copied = false;
      }
    }
    if (!copied) copied = copyBySelection(pre);
    const label = button.querySelector(".code-copy__label");
    label.textContent = copied ? "Copied" : "Copy";
    announce(copied ? "Copied" : "The code is selected: copy it with the keyboard");
    window.clearTimeout(button.resetTimer);
    button.resetTimer = window.setTimeout(function () { label.textContent = "Copy"; }, 2000);
  }

  // A region that scrolls sideways is reachable with the keyboard (arrow keys scroll it once
  // focused), and is named so that what receives focus is announced.
  function markScrollable(element) {
    const scrolls = element.scrollWidth > element.clientWidth + 1;
    if (scrolls && !element.hasAttribute("tabindex")) {
      element.tabIndex = 0;
      if (element.dataset.scrollRole) element.setAttribute("role", element.dataset.scrollRole);
      if (element.dataset.scrollLabel) element.setAttribute("aria-label", element.dataset.scrollLabel);
    } else if (!scrolls && element.hasAttribute("tabindex")) {
      element.removeAttribute("tabindex");
      element.removeAttribute("role");
      if (element.dataset.scrollLabel) element.removeAttribute("aria-label");
    }
  }

  function enhanceProse() {
    const blocks = Array.from(document.querySelectorAll(".prose pre"));
    const tables = Array.from(document.querySelectorAll(".prose table"));
    blocks.forEach(function (pre, index) {
      let frame = pre.parentElement;
      if (!frame.matches(".highlight, .code-block")) {
        frame = document.createElement("div");
        frame.className = "code-block";
        pre.replaceWith(frame);
        frame.append(pre);
      }
      const language = frame.dataset.language;
      // Names tell the blocks apart: each is a region, and regions should not share a name.
      pre.dataset.scrollRole = "region";
      pre.dataset.scrollLabel = "Code block " + (index + 1) + (language ? " (" + language + ")" : "");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "code-copy";
      const label = document.createElement("span");
      label.className = "code-copy__label";
      label.textContent = "Copy";
      const more = document.createElement("span");
      more.className = "visually-hidden";
      more.textContent = " code";
      button.append(label, more);
      button.addEventListener("click", function () { copyCode(button, pre); });
      frame.classList.add("code-block--enhanced");
      frame.prepend(button);
    });
    tables.forEach(function (table, index) {
      // A table keeps its role; its caption names it when there is one.
      if (!table.querySelector("caption")) table.dataset.scrollLabel = "Table " + (index + 1);
    });
    const scrollers = blocks.concat(tables);
    scrollers.forEach(markScrollable);
    if (window.ResizeObserver) {
      const observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { markScrollable(entry.target); });
      });
      scrollers.forEach(function (element) { observer.observe(element); });
    }
  }

  enhanceMenu();
  enhanceProse();

  // "Load More" and the category filter. Without JavaScript, "Load More" is a link to the
  // next page and each filter is a link to a filtered page; with it, both update the list in
  // place, and the filter keeps the address bar and the document's title in step, so reload,
  // back/forward and history entries work.
  // On a static copy of the site (data-static-fragments) no server answers ?fragment= or
  // ?category=: each listing's cards are the file cards.html in its folder, a filter's slug is
  // its data-filter, and filtering in place adds no history entry, as the address could not be
  // reloaded; the filter's link (the category's archive) is what works without JavaScript.
  const section = document.querySelector("[data-card-list]");
  if (!section || !window.fetch || !window.history.pushState) return;
  const region = section.querySelector(".cards-region");
  const heading = section.querySelector(".filter__heading");
  const filterList = section.querySelector(".filter__list");
  const featured = document.querySelector(".featured");
  const defaultHeading = heading.dataset.defaultText || "Latest posts";
  const isStatic = section.hasAttribute("data-static-fragments");

  // Where the cards of the listing at href (and its "Load More" link) can be fetched alone.
  function fragmentUrl(href) {
    const url = new URL(href, window.location.href);
    if (isStatic) return new URL(url.pathname + "cards.html", url);
    url.searchParams.set("fragment", "cards");
    return url;
  }

  async function fetchCards(href) {
    const url = fragmentUrl(href);
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error("HTTP " + response.status);
    return new DOMParser().parseFromString(await response.text(), "text/html");
  }

  async function loadMore(link) {
    link.setAttribute("aria-busy", "true");
    try {
      const doc = await fetchCards(link.href);
      const incoming = Array.from(doc.querySelectorAll("#cards > li"));
      region.querySelector("#cards").append(...incoming);
      const holder = link.closest(".load-more");
      const next = doc.querySelector(".load-more");
      if (next) holder.replaceWith(next); else holder.remove();
      // Keyboard and screen-reader users continue from the first new card.
      const firstLink = incoming.length && incoming[0].querySelector(".card__title a");
      if (firstLink) firstLink.focus();
    } catch (error) {
      window.location.assign(link.href);
    }
  }

  // On narrow screens the filters are one row that scrolls sideways: keep the chosen one in it.
  function revealFilter(item) {
    const list = filterList.getBoundingClientRect();
    const chip = item.getBoundingClientRect();
    if (chip.left < list.left || chip.right > list.right) {
      filterList.scrollLeft += chip.left - list.left - (list.width - chip.width) / 2;
    }
  }

  function markFilter(slug) {
    let label = defaultHeading;
    section.querySelectorAll("[data-filter]").forEach(function (item) {
      const active = item.dataset.filter === slug;
      if (active) {
        item.setAttribute("aria-current", "page");
        if (slug) label = item.textContent;
        // The title the page has when loaded at this address (the category's archive title).
        if (item.dataset.title) document.title = item.dataset.title;
        revealFilter(item);
      } else {
        item.removeAttribute("aria-current");
      }
    });
    heading.textContent = label;
    if (featured) featured.hidden = Boolean(slug);
  }

  function categoryOf(href) {
    return new URL(href, window.location.href).searchParams.get("category") || "";
  }
  let shown = categoryOf(window.location.href);
  const current = section.querySelector("[data-filter][aria-current]");
  if (current) revealFilter(current);

  async function showFilter(href, slug, push) {
    if (!slug && !featured) {
      // Only the first page has the featured post: load it whole rather than a grid without it.
      window.location.assign(href);
      return;
    }
    try {
      const doc = await fetchCards(href);
      region.replaceChildren(...Array.from(doc.body.childNodes));
      markFilter(slug);
      shown = slug;
      if (push) window.history.pushState({ category: slug }, "", href);
    } catch (error) {
      window.location.assign(href);
    }
  }

  section.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const more = event.target.closest("[data-load-more]");
    if (more) {
      event.preventDefault();
      loadMore(more);
      return;
    }
    const filter = event.target.closest("[data-filter]");
    if (filter) {
      event.preventDefault();
      const slug = isStatic ? filter.dataset.filter : categoryOf(filter.href);
      showFilter(filter.href, slug, !isStatic);
    }
  });

  // The grid is fetched again only when the entry shows another filter: moving between
  // entries of the same filter (a skip link's #main and back) keeps the cards "Load More" added.
  // A static copy adds no entries for filters, so it has none to restore.
  if (!isStatic) {
    window.addEventListener("popstate", function () {
      const slug = categoryOf(window.location.href);
      if (slug === shown) return;
      showFilter(window.location.href, slug, false);
    });
  }
})();
