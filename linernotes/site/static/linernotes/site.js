// Progressive enhancement for card lists. Without JavaScript, "Load More" is a link to the
// next page and each filter is a link to a filtered page; with it, both update the list in
// place, and the filter keeps the address bar in step so reload and back/forward work.
// On a static copy of the site (data-static-fragments) no server answers ?fragment= or
// ?category=: each listing's cards are the file cards.html in its folder, a filter's slug is
// its data-filter, and filtering in place adds no history entry, as the address could not be
// reloaded; the filter's link (the category's archive) is what works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  const section = document.querySelector("[data-card-list]");
  if (!section || !window.fetch || !window.history.pushState) return;
  const region = section.querySelector(".cards-region");
  const heading = section.querySelector(".filter__heading");
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

  function markFilter(slug) {
    let label = defaultHeading;
    section.querySelectorAll("[data-filter]").forEach(function (item) {
      const active = item.dataset.filter === slug;
      if (active) {
        item.setAttribute("aria-current", "page");
        if (slug) label = item.textContent;
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
