/**
 * @file What the page says about how the server read the query: a spelling suggestion, a
 * correction it searched instead, results that have only some of the words, notes on a query
 * searched as best understood (an unclosed quote), and where a rejected query goes wrong.
 */

import { el, replace_children } from './dom.js';
import { state_query } from './state.js';

const kWordList = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/**
 * A link to the search for `q` (with the current filters) that runs in the page on a plain click.
 * @param {Object} state  the page state the link starts from
 * @param {string} q
 * @param {boolean} correct  false: the server must not correct `q`
 * @param {(q: string, correct: boolean) => void} on_search
 */
function search_link(state, q, correct, on_search) {
  const link = el('a', {
    class: 'query-link', href: state_query({ ...state, q, correct, page: 1, article: '' }) || '?',
  }, el('strong', { text: q }));
  link.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    on_search(q, correct);
  });
  return link;
}

/** `words` as "a, b and c", each word emphasised. */
function word_list(words) {
  return kWordList.formatToParts(words).map((part) => (part.type === 'element' ? el('strong', { text: part.value }) : part.value));
}

function show(node, ...children) {
  replace_children(node, ...children);
  node.hidden = children.length === 0;
}

/**
 * Fills the feedback lines for a search response; lines without anything to say are hidden.
 * @param {{suggestion: HTMLElement, corrected: HTMLElement, partial: HTMLElement, notes: HTMLElement}} nodes
 * @param {Object|null} response  null after a failed search
 * @param {Object} state  the state the response answers
 * @param {(q: string, correct: boolean) => void} on_search
 */
export function render_query_feedback(nodes, response, state, on_search) {
  const corrected_from = response?.corrected_from;
  show(nodes.corrected, ...(corrected_from ? [
    'Showing results for ', el('strong', { text: response.query }), '. Search instead for ',
    search_link(state, corrected_from, false, on_search), '.',
  ] : []));
  // A correction already searched is no suggestion any more.
  const suggestion = corrected_from ? null : response?.suggestion;
  show(nodes.suggestion, ...(suggestion ? ['Did you mean ', search_link(state, suggestion, true, on_search), '?'] : []));
  const partial = response?.matched === 'partial';
  const dropped = Array.isArray(response?.dropped) ? response.dropped.filter((word) => typeof word === 'string' && word) : [];
  show(nodes.partial, ...(!partial ? [] : dropped.length > 0
    ? ['No article has all of ', ...word_list(dropped), '; showing those with most.']
    : ['No article has all of the words; showing those with most.']));
  const notes = (response?.notes ?? []).filter((note) => note && typeof note.message === 'string');
  show(nodes.notes, ...notes.map((note) => el('li', { class: 'query-note', 'data-code': note.code ?? null, text: note.message })));
}

/**
 * Shows where in the query the server found the problem: the query again, with the character
 * at `position` (a code point offset; the end of the query when it is past the last) marked.
 * Hidden when the error has no position.
 * @param {HTMLElement} node
 * @param {string} q  the query as searched
 * @param {number|null} position
 */
export function render_query_where(node, q, position) {
  if (position === null || position === undefined) {
    show(node);
    return;
  }
  const chars = [...q];
  const at = Math.min(position, chars.length);
  const before = chars.slice(0, at).join('');
  const marked = chars[at] ?? '';
  const after = chars.slice(at + 1).join('');
  show(node,
    el('span', { class: 'visually-hidden', text: at < chars.length ? `At character ${at + 1} of the query: ` : 'At the end of the query: ' }),
    el('code', { class: 'query-echo' },
      before,
      // A blank or the end is drawn as a marked space, so there is always something to see.
      el('mark', { class: 'query-at', 'data-position': String(at), text: marked.trim() === '' ? '\u00a0' : marked }),
      after));
}
