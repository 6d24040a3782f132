/**
 * @file The page state and its URL form. Everything a person can see is described by the
 * query string, so reload, back/forward and shared links restore it exactly.
 */

export const kSorts = ['relevance', 'newest', 'oldest'];
export const kSizes = [10, 20, 50];
export const kDefaultSize = 10;

/**
 * @typedef {Object} State
 * @property {string} q
 * @property {string[]} outlets
 * @property {string[]} langs  language codes
 * @property {string} from  "YYYY", "YYYY-MM", "YYYY-MM-DD" or ""
 * @property {string} to
 * @property {string} sort
 * @property {number} page
 * @property {number} size
 * @property {string} article  id of the open article, or ""
 * @property {boolean} correct  false: search q as typed, without the server's spelling correction
 * @property {string} facet_query  the outlet list shows outlets with words starting with it
 * @property {boolean} all_outlets  the outlet list shows every outlet, not the most frequent
 */

/** The API's facet_size that lists every outlet. */
export const kAllOutlets = 'all';

/** @returns {State} */
export function empty_state() {
  return {
    q: '', outlets: [], langs: [], from: '', to: '', sort: 'relevance', page: 1, size: kDefaultSize,
    article: '', correct: true, facet_query: '', all_outlets: false,
  };
}

function positive_int(text, fallback) {
  const value = Number.parseInt(text ?? '', 10);
  return Number.isFinite(value) && value >= 1 ? value : fallback;
}

/**
 * Reads a state from a query string; unknown or malformed values fall back to defaults.
 * @param {string} search  location.search
 * @returns {State}
 */
export function parse_state(search) {
  const params = new URLSearchParams(search);
  const state = empty_state();
  state.q = params.get('q') ?? '';
  state.outlets = unique(params.getAll('outlet').filter((value) => value !== ''));
  state.langs = unique(params.getAll('lang').filter((value) => value !== ''));
  state.from = params.get('from') ?? '';
  state.to = params.get('to') ?? '';
  const sort = params.get('sort');
  if (kSorts.includes(sort)) state.sort = sort;
  state.page = positive_int(params.get('page'), 1);
  const size = positive_int(params.get('size'), kDefaultSize);
  state.size = kSizes.includes(size) ? size : kDefaultSize;
  state.article = params.get('article') ?? '';
  state.correct = params.get('correct') !== 'false';
  state.facet_query = params.get('facet_query') ?? '';
  state.all_outlets = params.get('facet_size') === kAllOutlets;
  return state;
}

function unique(values) {
  return [...new Set(values)];
}

/**
 * The search parameters of a state (no article, defaults left out).
 * @param {State} state
 * @param {{view?: boolean}} [options]  view: false leaves out what only the page's view of the
 *     results needs: page, size and the outlet list's parameters (exports)
 * @returns {URLSearchParams}
 */
export function search_params(state, { view = true } = {}) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.q && !state.correct) params.set('correct', 'false');
  for (const outlet of state.outlets) params.append('outlet', outlet);
  for (const lang of state.langs) params.append('lang', lang);
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (view && state.page > 1) params.set('page', String(state.page));
  if (view && state.size !== kDefaultSize) params.set('size', String(state.size));
  if (view && state.facet_query) params.set('facet_query', state.facet_query);
  if (view && state.all_outlets) params.set('facet_size', kAllOutlets);
  return params;
}

/** The query string ("" or "?...") that describes a state in the page URL. */
export function state_query(state) {
  const params = search_params(state);
  if (state.article) params.set('article', state.article);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** True when two states show the same thing. */
export function same_state(a, b) {
  return state_query(a) === state_query(b);
}

/** True when any filter (outlet or date) is set. */
export function has_filters(state) {
  return state.outlets.length > 0 || state.langs.length > 0 || state.from !== '' || state.to !== '';
}

const kDatePattern = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * Checks a date filter as typed: "" or YYYY, YYYY-MM, YYYY-MM-DD naming a real day.
 * @returns {string|null} an error message, or null when valid
 */
export function date_error(text) {
  if (text === '') return null;
  const match = kDatePattern.exec(text);
  if (!match) return `"${text}" is not a date: use YYYY, YYYY-MM or YYYY-MM-DD`;
  const [, year, month, day] = match;
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) {
    return `"${text}" has no month ${month}`;
  }
  if (day !== undefined) {
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    if (date.getUTCDate() !== Number(day)) return `"${text}" is not a day of the calendar`;
  }
  return null;
}

/** The first day a date filter covers, "YYYY-MM-DD" ("" when open). */
export function range_start(text) {
  if (!text) return '';
  const [year, month = '01', day = '01'] = text.split('-');
  return `${year}-${month}-${day}`;
}

/** The last day a date filter covers, "YYYY-MM-DD" ("" when open). */
export function range_end(text) {
  if (!text) return '';
  const [year, month, day] = text.split('-');
  if (day) return text;
  if (!month) return `${year}-12-31`;
  const last = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  return `${year}-${month}-${String(last).padStart(2, '0')}`;
}
