/**
 * @file Rendering of a search response: the hit list, the summary line, the pager and the
 * empty state.
 */

import { date_element, el, format_count, highlighted, host_of, replace_children, safe_url } from './dom.js';
import { language_name, text_attributes } from './languages.js';
import { state_query } from './state.js';

/** The byline under a title: outlet, date, author. */
export function hit_meta(hit) {
  const parts = [];
  if (hit.outlet) parts.push(el('span', { class: 'outlet', text: hit.outlet }));
  parts.push(date_element(hit.date));
  if (hit.author) parts.push(el('span', { class: 'author', text: hit.author }));
  if (hit.lang) parts.push(el('span', { class: 'lang', text: language_name(hit.lang) }));
  if (hit.copies?.count > 1) {
    const first = hit.copies.first;
    const by = first && first.id !== hit.id ? `, first by ${first.outlet || first.id}` : '';
    parts.push(el('span', { class: 'copies', text: `${hit.copies.count} copies${by}` }));
  }
  const meta = el('p', { class: 'meta' });
  parts.forEach((part, index) => {
    if (index > 0) meta.append(el('span', { class: 'sep', 'aria-hidden': 'true', text: '·' }));
    meta.append(part);
  });
  return meta;
}

/** The title of a hit as a link to the page state with that article open. */
export function title_link(hit, state, on_open) {
  const link = el('a', {
    class: 'hit-title', href: state_query({ ...state, article: hit.id }) || '?', 'data-id': hit.id,
  }, highlighted(hit.title_html || hit.title || '(untitled)'));
  link.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    on_open(hit.id, link);
  });
  return link;
}

function source_link(url) {
  const href = safe_url(url);
  if (!href) return null;
  return el('a', { class: 'source-link', href, rel: 'noopener noreferrer nofollow', target: '_blank' },
    `Original at ${host_of(href)}`, el('span', { class: 'visually-hidden', text: ' (opens in a new tab)' }));
}

/**
 * Fills the hit list.
 * @param {HTMLOListElement} list
 * @param {Array<Object>} hits
 * @param {Object} state  the state the hits answer (for article links and numbering)
 * @param {(id: string, opener: HTMLElement) => void} on_open
 */
export function render_hits(list, hits, state, on_open) {
  list.start = (state.page - 1) * state.size + 1;
  replace_children(list, ...hits.map((hit) => el('li', { class: 'hit' },
    el('h3', { class: 'hit-heading', ...text_attributes(hit) }, title_link(hit, state, on_open)),
    hit_meta(hit),
    hit.snippet_html ? el('p', { class: 'snippet', ...text_attributes(hit) }, highlighted(hit.snippet_html)) : null,
    source_link(hit.url))));
}

/** "1–10 of 32 results for “putin” (3.2 ms)". */
export function summary_text(response, state) {
  const total = response.total;
  const count = `${response.total_exact === false ? 'about ' : ''}${format_count(total)} ${total === 1 ? 'result' : 'results'}`;
  const took = typeof response.took_ms === 'number' ? ` (${response.took_ms < 10 ? response.took_ms.toFixed(1) : Math.round(response.took_ms)} ms)` : '';
  if (total === 0) return `No results${took}`;
  const first = (response.page - 1) * response.size + 1;
  const last = first + response.hits.length - 1;
  const range = response.hits.length > 0 && (first > 1 || last < total) ? `${format_count(first)}–${format_count(last)} of ` : '';
  // The query searched: the server's correction of state.q when it made one.
  const q = response.query ?? state.q;
  return `${range}${count}${q ? ` for “${q}”` : ''}${took}`;
}

/** Page numbers to offer: the first, the last and two either side of the current one. */
export function page_numbers(current, last) {
  const pages = new Set([1, last]);
  for (let page = current - 2; page <= current + 2; page += 1) {
    if (page >= 1 && page <= last) pages.add(page);
  }
  return [...pages].sort((a, b) => a - b);
}

/**
 * Fills the pager navigation.
 * @param {HTMLElement} nav
 * @param {number} total
 * @param {Object} state
 * @param {(page: number) => void} on_page
 */
export function render_pager(nav, total, state, on_page) {
  const last = Math.max(1, Math.ceil(total / state.size));
  if (last <= 1 && state.page <= 1) {
    replace_children(nav);
    return;
  }
  const link = (page, text, label, extra = {}) => {
    const anchor = el('a', { href: state_query({ ...state, page, article: '' }) || '?', 'aria-label': label, ...extra }, text);
    anchor.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      on_page(page);
    });
    return anchor;
  };
  const items = [];
  items.push(state.page > 1
    ? link(state.page - 1, '‹ Previous', 'Previous page', { rel: 'prev', class: 'pager-step' })
    : el('span', { class: 'pager-step disabled', 'aria-hidden': 'true', text: '‹ Previous' }));
  let previous = 0;
  for (const page of page_numbers(Math.min(state.page, last), last)) {
    if (page > previous + 1) items.push(el('span', { class: 'pager-gap', 'aria-hidden': 'true', text: '…' }));
    items.push(page === state.page
      ? el('span', { class: 'pager-page current', 'aria-current': 'page', 'aria-label': `Page ${page}`, text: String(page) })
      : link(page, String(page), `Page ${page}`, { class: 'pager-page' }));
    previous = page;
  }
  items.push(state.page < last
    ? link(state.page + 1, 'Next ›', 'Next page', { rel: 'next', class: 'pager-step' })
    : el('span', { class: 'pager-step disabled', 'aria-hidden': 'true', text: 'Next ›' }));
  replace_children(nav, el('ul', {}, ...items.map((item) => el('li', {}, item))));
}

/** The empty state: what was searched and what to try next. */
export function render_empty(node, state, filtered, on_clear_filters, past_end = null) {
  if (past_end) {
    const button = el('button', { type: 'button', class: 'link-button', text: 'Go to the first page' });
    button.addEventListener('click', past_end);
    replace_children(node, el('p', { class: 'empty-title', text: `There is no page ${state.page} of these results.` }), el('p', {}, button));
    node.hidden = false;
    return;
  }
  const tips = el('ul', {},
    el('li', { text: 'Check the spelling, or use fewer or more general words.' }),
    el('li', { text: 'Add * to a word to match its beginning, e.g. soldier*.' }));
  if (filtered) {
    const button = el('button', { type: 'button', class: 'link-button', text: 'remove the filters' });
    button.addEventListener('click', on_clear_filters);
    tips.append(el('li', {}, 'Outlet and date filters are on: ', button, ' to search everything.'));
  }
  replace_children(node,
    el('p', { class: 'empty-title', text: state.q ? `No articles match “${state.q}”.` : 'No articles match these filters.' }),
    tips);
  node.hidden = false;
}
