// Search as you type, on the search page. Without JavaScript the form submits normally and the
// server renders the results; with it, results come from /api/search while the reader types,
// the status line (a live region) announces how many there are, and the address bar follows
// the query so reload and sharing show the same results.
// On a static copy of the site (data-pagefind) there is no server to ask: the page comes
// without results, and the same markup is drawn from the Pagefind index built with the site.
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

  // The heading, the title, the status line and the "No posts match" panel of an answer.
  function summarise(query, count, hasWords, params) {
    heading.textContent = query ? "Search results for “" + query + "”" : "Search";
    document.title = heading.textContent + " · " + root.dataset.siteName;
    empty.hidden = count > 0;
    if (!count) {
      status.textContent = query ? "No results for “" + query + "”." : "";
      region.replaceChildren();
      showEmpty(query, hasWords, params);
      return;
    }
    status.textContent = count + (count === 1 ? " result" : " results") + " for “" + query + "”.";
  }

  function show(data, params) {
    summarise(data.query, data.count, data.has_words, params);
    if (!data.count) return;
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

  // Pagefind's excerpts are escaped text with <mark> around matches. They are rebuilt here
  // from text nodes and <mark>s alone, so nothing else in an index can reach the page.
  function highlighted(className, html) {
    const node = element("p", className);
    const parsed = new DOMParser().parseFromString(html, "text/html").body;
    parsed.childNodes.forEach(function (part) {
      if (part.nodeName === "MARK") node.append(element("mark", "", part.textContent));
      else node.append(part.textContent);
    });
    return node;
  }

  function pagefindItem(data, index) {
    const item = element("li", "search-result");
    const article = element("article");
    const id = "result-" + index;
    article.setAttribute("aria-labelledby", id);
    const title = element("h2", "search-result__title");
    title.id = id;
    const link = element("a", "", data.meta.title || data.url);
    link.href = data.url;
    title.append(link);
    article.append(title);
    if (data.meta.date) {
      const meta = element("p", "search-result__meta");
      const time = element("time", "", formatDate(data.meta.date));
      time.dateTime = data.meta.date;
      meta.append(time);
      article.append(meta);
    }
    if (data.excerpt) article.append(highlighted("search-result__snippet", data.excerpt));
    item.append(article);
    return item;
  }

  function staticSearch() {
    const BATCH = 10;
    const UNAVAILABLE = "Search is unavailable on this copy of the site.";
    let pagefind = null;
    let asked = null;
    let latest = 0;
    let found = [];
    let drawn = 0;
    let list = null;
    const more = element("p", "load-more");
    const moreButton = element("button", "button", "More results");
    moreButton.type = "button";
    more.append(moreButton);

    function address(query) {
      return root.dataset.page + (query ? "?" + new URLSearchParams({ q: query }) : "");
    }

    // Results are found all at once but their titles and excerpts are loaded a batch at a time.
    async function drawBatch() {
      const target = list;
      const first = drawn;
      const batch = found.slice(first, first + BATCH);
      drawn += batch.length;
      const data = await Promise.all(
        batch.map(function (result) {
          return result.data();
        }),
      );
      const items = data.map(function (one, offset) {
        return pagefindItem(one, first + offset + 1);
      });
      target.append(...items);
      more.hidden = drawn >= found.length;
      return items;
    }

    async function run() {
      const query = input.value.trim();
      if (query === asked) return;
      asked = query;
      const mine = ++latest;
      try {
        let results = [];
        if (query) {
          if (!pagefind) pagefind = import(root.dataset.pagefind);
          results = (await (await pagefind).search(query)).results;
          if (mine !== latest) return;
        }
        found = results;
        drawn = 0;
        list = element("ol", "search-results");
        if (found.length) await drawBatch();
        if (mine !== latest) return;
        // Pagefind has no syntax that only leaves words out, so every query has words.
        summarise(query, found.length, true, new URLSearchParams());
        if (found.length) region.replaceChildren(list, more);
        window.history.replaceState(null, "", address(query));
      } catch (error) {
        if (mine !== latest) return;
        asked = null;
        pagefind = null;
        status.textContent = UNAVAILABLE;
      }
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DELAY_MS);
    }

    moreButton.addEventListener("click", async function () {
      moreButton.setAttribute("aria-busy", "true");
      try {
        const items = await drawBatch();
        // Keyboard and screen-reader users continue from the first new result.
        if (items.length) items[0].querySelector("a").focus();
      } catch (error) {
        status.textContent = UNAVAILABLE;
      } finally {
        moreButton.removeAttribute("aria-busy");
      }
    });
    // Enter searches in place: reloading the page would only search again.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      run();
    });
    input.addEventListener("input", soon);
    input.value = new URLSearchParams(window.location.search).get("q") || "";
    if (input.value.trim()) run();
  }

  if (root.dataset.pagefind) {
    staticSearch();
  } else {
    input.addEventListener("input", later);
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", update);
    });
  }
})();
