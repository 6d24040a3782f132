/**
 * @file Languages on the page: each hit's and article's language shown and set on its text
 * (so screen readers, hyphenation and right-to-left scripts read it right), and the language
 * facet (multi-select checkboxes with counts, like the outlets).
 */

import { el, format_count, replace_children } from './dom.js';

const kNames = typeof Intl.DisplayNames === 'function'
  ? new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' }) : null;

/** "Russian" for "ru": the facet's name when the server gives one, else the browser's. */
export function language_name(code, name = '') {
  if (name) return name;
  try {
    return kNames?.of(code) ?? code;
  } catch {
    return code;  // not a well-formed tag
  }
}

/** The lang and dir attributes of an element holding an article's text. */
export function text_attributes(item) {
  return { lang: item.lang || null, dir: item.dir === 'rtl' ? 'rtl' : (item.lang ? 'ltr' : null) };
}

/** Sets or clears `lang` and `dir` on `node` for `item` (a hit or an article). */
export function set_text_attributes(node, item) {
  for (const [name, value] of Object.entries(text_attributes(item))) {
    if (value) node.setAttribute(name, value);
    else node.removeAttribute(name);
  }
}

/**
 * Lists the languages of the matches with counts; selected ones stay listed at 0.
 * @param {HTMLElement} list
 * @param {Array<{value: string, name: string, count: number, selected: boolean}>} facet
 * @param {string[]} selected  language codes
 * @param {(code: string, checked: boolean) => void} on_toggle
 */
export function render_langs(list, facet, selected, on_toggle) {
  const entries = facet.map((entry) => ({ ...entry, selected: entry.selected || selected.includes(entry.value) }));
  for (const code of selected) {
    if (!entries.some((entry) => entry.value === code)) entries.push({ value: code, name: '', count: 0, selected: true });
  }
  // One language is no choice to offer.
  list.closest('section').hidden = entries.length < 2 && selected.length === 0;
  replace_children(list, ...entries.map((entry) => {
    const id = `lang-${entry.value}`;
    const box = el('input', { type: 'checkbox', id, value: entry.value, checked: entry.selected });
    box.addEventListener('change', () => on_toggle(entry.value, box.checked));
    return el('li', { class: `facet-item${entry.selected ? ' selected' : ''}` },
      box,
      el('label', { for: id },
        el('span', { class: 'facet-name', text: language_name(entry.value, entry.name) }),
        el('span', { class: 'facet-count', 'aria-label': `${entry.count} ${entry.count === 1 ? 'article' : 'articles'}`, text: format_count(entry.count) })));
  }));
}
