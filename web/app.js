/**
 * @file The Clippings search page. One state object (see js/state.js) mirrors the URL; every
 * user action produces a new state, writes it to the history and renders from it.
 */

import * as api from './js/api.js';
import { ArticleView } from './js/article.js';
import { is_typing_target } from './js/dom.js';
import { render_chips, render_outlets } from './js/filters.js';
import { Histogram } from './js/histogram.js';
import { render_empty, render_hits, render_pager, render_suggestion, summary_text } from './js/results.js';
import { date_error, has_filters, parse_state, search_params, state_query } from './js/state.js';

const kTypingDelayMs = 250;
const $ = (id) => document.getElementById(id);

const page = {
  state: parse_state(window.location.search),
  searched: null,         // search_params string of the last search started
  controller: null,       // AbortController of the search in flight
  typing_timer: 0,
  typing_pushed: false,   // a typing burst pushes one history entry, then replaces it
  opener_id: '',          // result whose title opened the article, for focus on close
  move_focus_to_results: false,
};

const histogram = new Histogram($('histogram'), (from, to) => {
  update({ ...page.state, from, to, page: 1 });
});

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
  // Dates change from the histogram and chips while a date field may hold the focus.
  set_field($('from'), state.from, true);
  set_field($('to'), state.to, true);
  $('sort').value = state.sort;
  $('size').value = String(state.size);
  render_chips($('active-filters'), $('chips'), state, {
    outlet: (value) => {
      update({ ...page.state, outlets: page.state.outlets.filter((outlet) => outlet !== value), page: 1 });
      focus_after_chip_removal();
    },
    date: () => {
      update({ ...page.state, from: '', to: '', page: 1 });
      focus_after_chip_removal();
    },
  });
  const active = state.outlets.length + (state.from || state.to ? 1 : 0);
  $('filters-count').textContent = active > 0 ? `(${active} active)` : '';
  $('export-csv').href = api.export_url(state, 'csv');
  $('export-jsonl').href = api.export_url(state, 'jsonl');
  $('export-atom').href = api.export_url(state, 'atom');
  $('feed-link').href = api.export_url(state, 'atom');
  document.title = state.q ? `${state.q} – Clippings` : 'Clippings';
}

function focus_after_chip_removal() {
  const next = $('chips').querySelector('.chip-remove');
  (next ?? $('q')).focus();
}

function show_error(error) {
  const on_dates = error.param === 'from' || error.param === 'to';
  $('query-error').textContent = on_dates ? '' : error.message;
  $('date-error').textContent = on_dates ? error.message : '';
  $('q').setAttribute('aria-invalid', on_dates ? 'false' : 'true');
  $('from').setAttribute('aria-invalid', error.param === 'from' ? 'true' : 'false');
  $('to').setAttribute('aria-invalid', error.param === 'to' ? 'true' : 'false');
}

function clear_error() {
  for (const id of ['query-error', 'date-error']) $(id).textContent = '';
  for (const id of ['q', 'from', 'to']) $(id).removeAttribute('aria-invalid');
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
    show_failure(error);
  } finally {
    if (controller === page.controller) {
      document.body.classList.remove('is-loading');
      $('results').setAttribute('aria-busy', 'false');
    }
  }
}

function show_results(response, state) {
  $('summary').textContent = summary_text(response, state);
  // Callbacks run in the order the searches ended, so the last one's note stays.
  api.export_limit().then((limit) => { $('export-note').textContent = api.export_note(response.total, limit); });
  render_suggestion($('suggestion'), response.suggestion, (suggestion) => {
    update({ ...page.state, q: suggestion, page: 1 });
  });
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
  render_outlets($('outlet-list'), response.facets?.outlet ?? [], state.outlets, toggle_outlet);
  const dates = response.facets?.date ?? { interval: 'month', buckets: [], undated: 0 };
  histogram.update(dates, { from: state.from, to: state.to });
  $('undated').textContent = dates.undated > 0
    ? `${dates.undated} undated ${dates.undated === 1 ? 'article' : 'articles'} (not in any date range)` : '';
  if (page.move_focus_to_results) {
    page.move_focus_to_results = false;
    $('results').scrollIntoView({ block: 'start' });
    $('results').focus({ preventScroll: true });
  }
}

function show_failure(error) {
  show_error(error);
  $('summary').textContent = error.status === 400 ? 'The search could not run.' : 'Search failed.';
  render_suggestion($('suggestion'), null, null);
  $('hits').replaceChildren();
  $('pager').replaceChildren();
  $('empty').hidden = true;
}

function toggle_outlet(value, checked) {
  const outlets = page.state.outlets.filter((outlet) => outlet !== value);
  if (checked) outlets.push(value);
  update({ ...page.state, outlets, page: 1 });
}

function clear_filters() {
  update({ ...page.state, outlets: [], from: '', to: '', page: 1 });
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
  if (q !== page.state.q) update({ ...page.state, q, page: 1 }, { replace: pushed });
  else if (search_params(page.state).toString() !== page.searched || $('query-error').textContent) run_search();
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
      update({ ...page.state, q, page: 1 }, { replace: page.typing_pushed });
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
    const open = $('filters-toggle').getAttribute('aria-expanded') !== 'true';
    $('filters-toggle').setAttribute('aria-expanded', String(open));
    $('filters').classList.toggle('is-open', open);
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
