// Site search on the search page: the query from ?q= is looked up in the
// Pagefind index written by the build (one index per page language), and the
// results are listed as plain links. Nothing is loaded from another host, and
// the page explains how to browse instead when this script cannot run.
const form = document.querySelector("[data-search]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const input = form && form.querySelector("input[name=q]");

// Uzbek is often typed with ' or ‘ for the letters oʻ gʻ and the tutuq belgisi ʼ;
// the index holds the proper letters, so the query is written with them too.
function normalise(query, lang) {
  if (lang !== "uz") return query;
  return query
    .replace(/([oOgG])['‘’`ʼ]/g, "$1ʻ")
    .replace(/(\p{L})['‘’`]/gu, "$1ʼ");
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

// Pagefind marks the matched words with <mark>; everything else is text.
function excerpt(html) {
  const p = document.createElement("p");
  for (const [index, part] of html.split(/<\/?mark>/).entries()) {
    const text = document.createTextNode(part.replace(/&(amp|lt|gt|quot|#39);/g,
      (_, e) => ({ amp: "&", lt: "<", gt: ">", quot: "\"", "#39": "'" })[e]));
    if (index % 2 === 1) {
      const mark = document.createElement("mark");
      mark.append(text);
      p.append(mark);
    } else {
      p.append(text);
    }
  }
  return p;
}

async function search(pagefind, query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = form.dataset.loading;
  const found = await pagefind.search(normalise(query, form.dataset.lang));
  const results = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  for (const result of results) {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.meta.title || result.url;
    heading.append(link);
    item.append(heading, excerpt(result.excerpt));
    list.append(item);
  }
  const values = { query, count: found.results.length };
  status.textContent = fill(found.results.length ? form.dataset.results : form.dataset.none, values);
}

// A large site's index comes in parts, one Pagefind bundle each (the build lists
// the further parts of each language in parts.json, beside pagefind.js); they are
// merged into this one, so a search looks through all of them.
async function mergeParts(pagefind) {
  const listing = new URL("parts.json", new URL(form.dataset.bundle, location.href));
  const response = await fetch(listing);
  if (!response.ok) return;
  const parts = await response.json();
  for (const folder of parts[form.dataset.lang.split("-")[0].toLowerCase()] || []) {
    await pagefind.mergeIndex(new URL(folder, listing).pathname, { baseUrl: form.dataset.base });
  }
}

async function start() {
  const query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  status.textContent = "";
  let pagefind;
  try {
    pagefind = await import(form.dataset.bundle);
    await pagefind.options({ baseUrl: form.dataset.base });
    await mergeParts(pagefind);
  } catch (error) {
    status.textContent = form.dataset.failed;
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value;
    history.replaceState(null, "", `?q=${encodeURIComponent(value)}`);
    search(pagefind, value);
  });
  await search(pagefind, query);
}

if (form && status && list && input) start();
