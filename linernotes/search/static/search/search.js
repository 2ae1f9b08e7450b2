// Search as you type, on the search page. Without JavaScript the form submits normally and the
// server renders the results; with it, results come from /api/search while the reader types,
// the status line (a live region) announces how many there are, and the address bar follows
// the query so reload and sharing show the same results.
(function () {
  "use strict";

  const root = document.querySelector("[data-search]");
  if (!root || !window.fetch || !window.URLSearchParams || !window.AbortController) return;
  const form = root.querySelector(".search-form");
  const input = form.querySelector("input[name=q]");
  const heading = root.querySelector("#search-heading");
  const status = root.querySelector("#search-status");
  const region = root.querySelector("#search-results");
  const empty = root.querySelector("#search-empty");
  const DELAY_MS = 250;
  let timer = 0;
  let inFlight = null;
  let lastAsked = new URLSearchParams(window.location.search).toString();

  function formParams() {
    const params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim()) params.set(name, String(value));
    });
    return params;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Dates arrive in the site's time zone (2026-10-15T14:00:00+00:00): show that calendar day.
  function formatDate(iso) {
    const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    return new Intl.DateTimeFormat(document.documentElement.lang || "en", {
      dateStyle: "long",
      timeZone: "UTC",
    }).format(date);
  }

  function bylines(authors) {
    const line = element("span", "search-result__authors");
    authors.forEach(function (author, index) {
      if (index > 0) line.append(index === authors.length - 1 ? " and " : "; ");
      const name = element("a", "", author.name);
      name.href = author.url;
      line.append(name);
      if (author.role) line.append(element("span", "byline__role", ", " + author.role));
    });
    return line;
  }

  function resultItem(result) {
    const item = element("li", "search-result");
    const article = element("article");
    const title = element("h2", "search-result__title");
    // Like snippets, the highlighted title is escaped by the server except for its <mark>s.
    const link = element("a", "");
    link.innerHTML = result.title_html;
    link.href = result.url;
    title.append(link);
    const meta = element("p", "search-result__meta");
    const time = element("time", "", formatDate(result.published));
    time.dateTime = result.published;
    meta.append(time);
    if (result.authors.length) meta.append(" · by ", bylines(result.authors));
    article.append(title, meta);
    if (result.snippet) {
      // The server escapes everything in a snippet except its <mark> elements.
      const snippet = element("p", "search-result__snippet");
      snippet.innerHTML = result.snippet;
      article.append(snippet);
    }
    if (result.categories.length) {
      const chips = element("ul", "chips");
      chips.setAttribute("aria-label", "Categories");
      result.categories.forEach(function (category) {
        const chip = element("a", "chip", category.name);
        chip.href = category.url;
        const li = element("li");
        li.append(chip);
        chips.append(li);
      });
      article.append(chips);
    }
    item.append(article);
    return item;
  }

  // The suggestions under "No posts match" (tips, latest posts, categories) come with the page;
  // only the parts that depend on the query change.
  function showEmpty(query, hasWords, params) {
    const title = empty.querySelector("#search-empty-heading");
    title.textContent = query ? title.dataset.noMatch : title.dataset.noQuery;
    empty.querySelector(".search-empty__tips").hidden = !query;
    empty.querySelector(".search-empty__intro").hidden = Boolean(query);
    empty.querySelector('[data-tip="needs-words"]').hidden = hasWords;
    const filtered = ["category", "author", "year"].some(function (name) {
      return params.has(name);
    });
    const clear = empty.querySelector('[data-tip="filters"]');
    clear.hidden = !filtered;
    clear.querySelector("a").href = root.dataset.page + "?" + new URLSearchParams({ q: query });
  }

  function show(data, params) {
    const query = data.query;
    heading.textContent = query ? "Search results for “" + query + "”" : "Search";
    document.title = heading.textContent + " · " + root.dataset.siteName;
    empty.hidden = data.count > 0;
    if (!data.count) {
      status.textContent = query ? "No results for “" + query + "”." : "";
      region.replaceChildren();
      showEmpty(query, data.has_words, params);
      return;
    }
    status.textContent =
      data.count + (data.count === 1 ? " result" : " results") + " for “" + query + "”.";
    const list = element("ol", "search-results");
    data.results.forEach(function (result) {
      list.append(resultItem(result));
    });
    region.replaceChildren(list);
    if (data.next) {
      const nav = element("nav", "pagination");
      nav.setAttribute("aria-label", "Pages");
      const more = element("a", "pagination__step", "Next »");
      const next = new URLSearchParams(params);
      next.set("page", "2");
      more.href = root.dataset.page + "?" + next.toString();
      more.rel = "next";
      nav.append(more);
      region.append(nav);
    }
  }

  async function update() {
    const params = formParams();
    const asked = params.toString();
    if (asked === lastAsked) return;
    lastAsked = asked;
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    const api = new URLSearchParams(params);
    api.set("partial", "1");
    try {
      const response = await fetch(root.dataset.api + "?" + api.toString(), {
        headers: { Accept: "application/json" },
        signal: inFlight.signal,
      });
      if (!response.ok) throw new Error("HTTP " + response.status);
      show(await response.json(), params);
      const address = root.dataset.page + (asked ? "?" + asked : "");
      window.history.replaceState(null, "", address);
    } catch (error) {
      if (error.name === "AbortError") return;
      lastAsked = null;
      status.textContent = "Live results are unavailable; press Enter to search.";
    }
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, DELAY_MS);
  }

  input.addEventListener("input", later);
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", update);
  });
})();
