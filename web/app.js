/**
 * @file The Clippings search page. One state object (see js/state.js) mirrors the URL; every
 * user action produces a new state, writes it to the history and renders from it.
 */

import * as api from './js/api.js';
import { ArticleView } from './js/article.js';
import { format_count, is_typing_target } from './js/dom.js';
import { render_query_feedback, render_query_where } from './js/feedback.js';
import { render_chips, render_outlet_controls, render_outlets } from './js/filters.js';
import { render_langs } from './js/languages.js';
import { Histogram } from './js/histogram.js';
import { Timeline } from './js/timeline.js';
import { render_empty, render_hits, render_pager, summary_text } from './js/results.js';
import { date_error, has_filters, parse_state, search_params, state_query } from './js/state.js';

const kTypingDelayMs = 250;
const $ = (id) => document.getElementById(id);

const page = {
  state: parse_state(window.location.search),
  searched: null,         // search_params string of the last search started
  controller: null,       // AbortController of the search in flight
  typing_timer: 0,
  typing_pushed: false,   // a typing burst pushes one history entry, then replaces it
  outlet_filter_timer: 0,
  feed_link: $('feed-link'),  // in the document head while the search is valid
  sort_shown: { key: null, sort: '' },  // the order the server gave the hits of search `key`
  opener_id: '',          // result whose title opened the article, for focus on close
  move_focus_to_results: false,
};

const histogram = new Histogram($('histogram'), (from, to) => {
  update({ ...page.state, from, to, page: 1 });
});

const timeline = new Timeline($('timeline'), (outlet, checked) => toggle_outlet(outlet, checked));

const article_view = new ArticleView($('article-dialog'), {
  on_close: () => {
    update({ ...page.state, article: '' });
    restore_focus();
  },
  on_open_similar: (id) => update({ ...page.state, article: id }),
});

/**
 * Makes `next` the page state: records it in the history and renders it.
 * @param {Object} next
 * @param {{replace?: boolean}} [options]  replace: overwrite the current history entry
 */
function update(next, { replace = false } = {}) {
  page.state = next;
  const url = `${window.location.pathname}${state_query(next)}`;
  if (url !== `${window.location.pathname}${window.location.search}`) {
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
  }
  render();
}

function render({ force_fields = false } = {}) {
  sync_controls(force_fields);
  const key = search_params(page.state).toString();
  if (key !== page.searched) run_search();
  sync_article();
}

function set_field(input, value, force) {
  if (input.value !== value && (force || document.activeElement !== input)) input.value = value;
}

function sync_controls(force) {
  const { state } = page;
  set_field($('q'), state.q, force);
  set_field($('outlet-filter'), state.facet_query, force);
  // Dates change from the histogram and chips while a date field may hold the focus.
  set_field($('from'), state.from, true);
  set_field($('to'), state.to, true);
  const answered = page.sort_shown.key === search_params(state).toString();
  show_sort(answered ? page.sort_shown.sort : state.sort, state.sort);
  $('size').value = String(state.size);
  render_chips($('active-filters'), $('chips'), state, {
    outlet: (value) => {
      update({ ...page.state, outlets: page.state.outlets.filter((outlet) => outlet !== value), page: 1 });
      focus_after_chip_removal();
    },
    lang: (code) => {
      update({ ...page.state, langs: page.state.langs.filter((lang) => lang !== code), page: 1 });
      focus_after_chip_removal();
    },
    date: () => {
      update({ ...page.state, from: '', to: '', page: 1 });
      focus_after_chip_removal();
    },
  });
  const active = state.outlets.length + state.langs.length + (state.from || state.to ? 1 : 0);
  $('filters-count').textContent = active > 0 ? `(${active} active)` : '';
  $('export-csv').href = api.export_url(state, 'csv');
  $('export-jsonl').href = api.export_url(state, 'jsonl');
  $('export-atom').href = api.export_url(state, 'atom');
  page.feed_link.href = api.export_url(state, 'atom');
  document.title = state.q ? `${state.q} – Clippings` : 'Clippings';
}

function focus_after_chip_removal() {
  const next = $('chips').querySelector('.chip-remove');
  (next ?? $('q')).focus();
}

function show_error(error, state) {
  const on_dates = error.param === 'from' || error.param === 'to';
  $('query-error').textContent = on_dates ? '' : error.message;
  render_query_where($('query-where'), state.q, error.param === 'q' ? error.position : null);
  $('date-error').textContent = on_dates ? error.message : '';
  $('q').setAttribute('aria-invalid', on_dates ? 'false' : 'true');
  $('from').setAttribute('aria-invalid', error.param === 'from' ? 'true' : 'false');
  $('to').setAttribute('aria-invalid', error.param === 'to' ? 'true' : 'false');
}

function clear_error() {
  for (const id of ['query-error', 'date-error']) $(id).textContent = '';
  render_query_where($('query-where'), '', null);
  for (const id of ['q', 'from', 'to']) $(id).removeAttribute('aria-invalid');
}

/** The export links and the feed are offered only for a search that runs. */
function offer_exports(valid) {
  $('exports').hidden = !valid;
  if (!valid) page.feed_link.remove();
  else if (!page.feed_link.isConnected) document.head.append(page.feed_link);
}

function feedback_nodes() {
  return { suggestion: $('suggestion'), corrected: $('corrected'), partial: $('partial'), notes: $('query-notes') };
}

/** Searches `q` from a link of the feedback lines; correct: false keeps the server from correcting it. */
function search_for(q, correct) {
  update({ ...page.state, q, correct, page: 1 });
  $('q').value = q;
  $('q').focus();
}

/** The narrow layout's button that closes the filters and shows the results. */
function set_show_results(total) {
  $('show-results').textContent = total === null ? 'Show results'
    : `Show ${format_count(total)} ${total === 1 ? 'result' : 'results'}`;
}

async function run_search() {
  const state = page.state;
  page.searched = search_params(state).toString();
  page.controller?.abort();
  const controller = new AbortController();
  page.controller = controller;
  document.body.classList.add('is-loading');
  $('results').setAttribute('aria-busy', 'true');
  try {
    const response = await api.search(state, controller.signal);
    if (controller !== page.controller) return;
    clear_error();
    show_results(response, state);
  } catch (error) {
    if (error.name === 'AbortError' || controller !== page.controller) return;
    show_failure(error, state);
  } finally {
    if (controller === page.controller) {
      document.body.classList.remove('is-loading');
      $('results').setAttribute('aria-busy', 'false');
    }
  }
}

function show_results(response, state) {
  const summary = summary_text(response, state);
  // Rewriting the same text would have it announced again.
  if ($('summary').textContent !== summary) $('summary').textContent = summary;
  render_query_feedback(feedback_nodes(), response, state, search_for);
  page.sort_shown = { key: search_params(state).toString(), sort: response.sort ?? state.sort };
  show_sort(page.sort_shown.sort, state.sort);
  offer_exports(true);
  // Callbacks run in the order the searches ended, so the last one's note stays.
  api.export_limit().then((limit) => {
    const note = api.export_note(response.total, limit);
    if ($('export-note').textContent !== note) $('export-note').textContent = note;
  });
  set_show_results(response.total);
  render_hits($('hits'), response.hits, state, open_article);
  if (response.hits.length === 0) {
    const past_end = response.total > 0 ? () => update({ ...page.state, page: 1 }) : null;
    render_empty($('empty'), state, has_filters(state), clear_filters, past_end);
  } else {
    $('empty').hidden = true;
  }
  render_pager($('pager'), response.total, state, (number) => {
    page.move_focus_to_results = true;
    update({ ...page.state, page: number });
  });
  const outlets = response.facets?.outlet ?? [];
  render_outlets($('outlet-list'), outlets, state.outlets, toggle_outlet, state.facet_query);
  render_outlet_controls({ box: $('outlet-filter-box'), more: $('outlet-more'), list: $('outlet-list') },
    outlets.length, response.facets?.outlet_total ?? outlets.length, state);
  render_langs($('lang-list'), response.facets?.lang ?? [], state.langs, toggle_lang);
  const dates = response.facets?.date ?? { interval: 'month', buckets: [], undated: 0 };
  histogram.update(dates, { from: state.from, to: state.to });
  timeline.update(response.facets?.timeline, state.outlets);
  $('undated').textContent = dates.undated > 0
    ? `${dates.undated} undated ${dates.undated === 1 ? 'article' : 'articles'} (not in any date range)` : '';
  if (page.move_focus_to_results) {
    page.move_focus_to_results = false;
    $('results').scrollIntoView({ block: 'start' });
    $('results').focus({ preventScroll: true });
  }
}

/**
 * The sort control shows the order of the hits: an empty query asked for by relevance comes
 * newest first, and relevance cannot be picked again while it would change nothing.
 */
function show_sort(shown, asked) {
  $('sort').value = shown;
  $('sort').querySelector('option[value="relevance"]').disabled = shown !== asked;
}

function show_failure(error, state) {
  show_error(error, state);
  $('summary').textContent = error.status === 400 ? 'The search could not run.' : 'Search failed.';
  render_query_feedback(feedback_nodes(), null, state, search_for);
  offer_exports(false);
  set_show_results(null);
  $('hits').replaceChildren();
  $('pager').replaceChildren();
  $('empty').hidden = true;
  timeline.update(undefined, []);
}

function toggle_outlet(value, checked) {
  const outlets = page.state.outlets.filter((outlet) => outlet !== value);
  if (checked) outlets.push(value);
  update({ ...page.state, outlets, page: 1 });
}

function toggle_lang(code, checked) {
  const langs = page.state.langs.filter((lang) => lang !== code);
  if (checked) langs.push(code);
  update({ ...page.state, langs, page: 1 });
}

function clear_filters() {
  update({ ...page.state, outlets: [], langs: [], from: '', to: '', page: 1 });
  $('q').focus();
}

function open_article(id, opener) {
  page.opener_id = opener?.dataset.id ?? id;
  update({ ...page.state, article: id });
}

function sync_article() {
  const id = page.state.article;
  if (id) {
    if (!page.opener_id) page.opener_id = id;
    article_view.show(id, page.state.q);
  } else if (article_view.id) {
    article_view.hide();
    restore_focus();
  }
}

function restore_focus() {
  const id = page.opener_id;
  page.opener_id = '';
  const opener = id ? $('hits').querySelector(`.hit-title[data-id="${CSS.escape(id)}"]`) : null;
  (opener ?? $('q')).focus();
}

function apply_query_now() {
  window.clearTimeout(page.typing_timer);
  const q = $('q').value;
  const pushed = page.typing_pushed;
  page.typing_pushed = false;
  if (q !== page.state.q) update({ ...page.state, q, correct: true, page: 1 }, { replace: pushed });
  else if (search_params(page.state).toString() !== page.searched || $('query-error').textContent) run_search();
}

function apply_outlet_filter() {
  window.clearTimeout(page.outlet_filter_timer);
  const facet_query = $('outlet-filter').value;
  if (facet_query !== page.state.facet_query) update({ ...page.state, facet_query }, { replace: true });
}

function set_filters_open(open) {
  $('filters-toggle').setAttribute('aria-expanded', String(open));
  $('filters').classList.toggle('is-open', open);
}

function apply_dates() {
  const from = $('from').value.trim();
  const to = $('to').value.trim();
  const problem = date_error(from) ?? date_error(to);
  if (problem) {
    $('date-error').textContent = problem;
    $('from').setAttribute('aria-invalid', date_error(from) ? 'true' : 'false');
    $('to').setAttribute('aria-invalid', date_error(to) ? 'true' : 'false');
    return;
  }
  $('date-error').textContent = '';
  if (from !== page.state.from || to !== page.state.to) update({ ...page.state, from, to, page: 1 });
}

function listen() {
  $('q').addEventListener('input', () => {
    window.clearTimeout(page.typing_timer);
    page.typing_timer = window.setTimeout(() => {
      const q = $('q').value;
      if (q === page.state.q) return;
      update({ ...page.state, q, correct: true, page: 1 }, { replace: page.typing_pushed });
      page.typing_pushed = true;
    }, kTypingDelayMs);
  });
  $('q').addEventListener('blur', () => {
    if ($('q').value === page.state.q) page.typing_pushed = false;
  });
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    apply_query_now();
  });
  $('date-form').addEventListener('submit', (event) => {
    event.preventDefault();
    apply_dates();
  });
  for (const id of ['from', 'to']) $(id).addEventListener('change', apply_dates);
  $('sort').addEventListener('change', () => update({ ...page.state, sort: $('sort').value, page: 1 }));
  $('size').addEventListener('change', () => update({ ...page.state, size: Number($('size').value), page: 1 }));
  $('clear-all').addEventListener('click', clear_filters);
  $('filters-toggle').addEventListener('click', () => {
    set_filters_open($('filters-toggle').getAttribute('aria-expanded') !== 'true');
  });
  $('show-results').addEventListener('click', () => {
    set_filters_open(false);
    $('main').scrollIntoView({ block: 'start' });
    $('results').focus({ preventScroll: true });
  });
  $('outlet-filter').addEventListener('input', () => {
    window.clearTimeout(page.outlet_filter_timer);
    page.outlet_filter_timer = window.setTimeout(apply_outlet_filter, kTypingDelayMs);
  });
  $('outlet-filter').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') apply_outlet_filter();
  });
  // Which outlets are listed is a view of the same results: no history entry of its own.
  $('outlet-more').addEventListener('click', () => {
    update({ ...page.state, all_outlets: !page.state.all_outlets }, { replace: true });
  });
  window.addEventListener('popstate', () => {
    window.clearTimeout(page.typing_timer);
    page.typing_pushed = false;
    page.state = parse_state(window.location.search);
    render({ force_fields: true });
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (is_typing_target(event.target) || $('article-dialog').open) return;
    event.preventDefault();
    $('q').focus();
    $('q').select();
  });
}

listen();
render({ force_fields: true });
